// The scripted scenarios (tests/suites/scenarios.ts): beyond MIT's 28, run like them against
// the implementation under test (RAFT_IMPL), with SEED fixing the seed.
import { scenarios } from "./suites/scenarios.ts";
import { runSuite } from "./support/suite.ts";

runSuite(scenarios);
