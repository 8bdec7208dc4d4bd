// Runs one test definition with one seed in a fresh world and reports the outcome. Used by
// vitest (`make partA`), `raftlab run`, `raftlab replay` and `raftlab grade`. It reads no
// clock: callers that want wall time measure it around this call.
import type { RaftModule } from "../raft/api.ts";
import { World, type TraceEvent } from "../sim/index.ts";
import { passedFigures, TEST_TIME_LIMIT_MS, type PassedFigures } from "./config.ts";
import { coverageOf, missedSentence, type RunCoverage } from "./coverage.ts";
import { diagnose } from "./diagnosis.ts";
import { RunSummary } from "./summary.ts";
import { warningMessage, type RunWarning, type TestContext, type TestDef, type WarningKind } from "./testdef.ts";

export interface RunOptions {
  seed: string | number;
  impl: RaftModule;
  /** The implementation's module path, for the replay command ("" for the reference). */
  implPath?: string;
  /** Keep every trace event (replay, --log, --html). */
  keepTrace?: boolean;
  /** Heavy (race) mode: go() tasks become ready after a seeded random delay of up to RACE_JITTER_MS (see World). */
  race?: boolean;
  /** Receives output lines as they are printed. */
  print?: (line: string) => void;
}

export interface TestResult {
  name: string;
  part: string;
  seed: string;
  passed: boolean;
  /** One plain paragraph: what failed, where, when, the seed and the replay command. */
  error?: string;
  /** The failure's first line, without seed and replay (for tables and JSON). */
  reason?: string;
  figures?: PassedFigures;
  virtualMs: number;
  events: number;
  traceHash: string;
  traceLength: number;
  output: string[];
  /** Non-failing warnings (killed instances that kept sending), by kind. */
  warnings: RunWarning[];
  /** Failures only: a few factual lines from the run's summary, printed below the reason (diagnosis.ts). */
  diagnosis?: string[];
  /** Which of the faults the test declares (coverage.ts) this run met, and which it missed. */
  coverage?: RunCoverage;
  trace?: TraceEvent[];
}

/** Heavy (race) mode: the bound on how late a go() task may become ready, in virtual ms. */
export const RACE_JITTER_MS = 5;

export function replayCommand(name: string, seed: string, implPath = "", race = false): string {
  return `npx raftlab replay ${name} --seed ${seed}${implPath ? ` --impl ${implPath}` : ""}${race ? " --race" : ""}`;
}

export async function runTest(def: TestDef, options: RunOptions): Promise<TestResult> {
  const summary = new RunSummary(); // always on: diagnosis and coverage come from it
  const w = new World({
    seed: options.seed,
    budgetMs: TEST_TIME_LIMIT_MS,
    budgetMessage: "test took longer than 120 seconds",
    trace: { keepAll: options.keepTrace ?? false, observer: summary.observe },
    taskJitterMs: options.race === true ? RACE_JITTER_MS : 0,
  });
  const output: string[] = [];
  const deferred: Array<() => void> = [];
  const warnings = new Map<WarningKind, RunWarning>();
  const ctx: TestContext = {
    name: def.name,
    seed: w.seed,
    impl: options.impl,
    print: (line) => {
      output.push(line);
      options.print?.(line);
    },
    defer: (fn) => deferred.push(fn),
    warning: (kind, first) => {
      const w0 = warnings.get(kind);
      if (w0 === undefined) warnings.set(kind, { kind, count: 1, first, message: "" });
      else w0.count++;
    },
  };
  const outcome = await w.run(async () => {
    try {
      await def.body(ctx);
    } finally {
      for (const fn of deferred.reverse()) fn();
    }
  });
  const figures = passedFigures.get(ctx);
  const warningList = [...warnings.values()].map((x) => ({ ...x, message: warningMessage(x.kind, x.count, x.first) }));
  for (const x of warningList) ctx.print(x.message);
  const result: TestResult = {
    name: def.name,
    part: def.part,
    seed: w.seed,
    passed: outcome.ok,
    virtualMs: outcome.virtualMs,
    events: outcome.events,
    traceHash: outcome.traceHash,
    traceLength: w.trace.length,
    output,
    warnings: warningList,
    coverage: coverageOf(def.name, summary),
    ...(figures !== undefined ? { figures } : {}),
    // The whole trace when asked for; on failure at least the ring of the last events.
    ...(options.keepTrace || !outcome.ok ? { trace: w.trace.kept() } : {}),
  };
  if (!outcome.ok) {
    const f = outcome.failure!;
    // MIT's texts sometimes end in "\n"; the reason is one line.
    const message = f.message.trimEnd();
    const at = /\bat \d+ ms\b/.test(message) ? "" : ` (at ${f.virtualMs} ms)`;
    result.reason = `${message}${at}`;
    result.error = `${def.name} failed: ${result.reason}\n  seed ${w.seed}, trace hash ${outcome.traceHash}; replay: ${replayCommand(def.name, w.seed, options.implPath, options.race)}`;
    ctx.print(`--- FAIL: ${result.error}`);
    result.diagnosis = diagnose(summary, result.reason);
    for (const line of result.diagnosis) ctx.print(`    ${line}`);
  } else if (result.coverage!.missed.length > 0) {
    ctx.print(`  (${missedSentence(result.coverage!.missed)})`);
  }
  return result;
}

/** MIT's Passed line, `  ... Passed --  %4.1f  %d %4d %7d %4d`, with the wall time added. */
export function passedLine(f: PassedFigures, wallMs?: number): string {
  const line = `  ... Passed --  ${f.seconds.toFixed(1).padStart(4)}  ${f.peers} ${String(f.rpcs).padStart(4)} ${String(f.bytes).padStart(7)} ${String(f.cmds).padStart(4)}`;
  return wallMs === undefined ? line : `${line}  (${Math.round(wallMs)} ms wall)`;
}
