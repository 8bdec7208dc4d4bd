// The tester: configuration, helpers, monitor, test definitions and the runner.
export { fmtV, goV } from "./format.ts";
export { Config, makeConfig, isInt, RaftElectionTimeout, SnapShotInterval, MAXLOGSIZE, TEST_TIME_LIMIT_MS, type PassedFigures } from "./config.ts";
export { Monitor, VIEW_CHECK_MS } from "./monitor.ts";
export { defineTest, warningMessage, type TestDef, type TestContext, type Part, type RunWarning, type WarningKind } from "./testdef.ts";
export { runTest, passedLine, replayCommand, RACE_JITTER_MS, type RunOptions, type TestResult } from "./runner.ts";
export { loadImpl, DEFAULT_IMPL } from "./impl.ts";
export { encodeTesterSnapshot, decodeTesterSnapshot } from "./snapshot.ts";
