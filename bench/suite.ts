// Runs the MIT tests for one seed in this thread and prints each test's wall time: the
// workload for profiling (issue 10). Asserts nothing; exit status 1 if a test failed.
//
//   npx tsx bench/suite.ts [--impl bench/student-raft/raft.ts] [--seed 1] [--test Churn]
//   node --cpu-prof --cpu-prof-dir=prof --import tsx bench/suite.ts --impl bench/student-raft/raft.ts
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { loadImpl, runTest } from "../src/config/index.ts";
import { allTests } from "../tests/suites/index.ts";

const { values } = parseArgs({ options: { impl: { type: "string", default: "" }, seed: { type: "string", default: "1" }, test: { type: "string", default: "" } } });
const impl = await loadImpl(values.impl);
const only = new RegExp(values.test);
let failed = 0;
const t0 = performance.now();
for (const def of allTests.filter((d) => only.test(d.name))) {
  const t = performance.now();
  const r = await runTest(def, { seed: values.seed, impl });
  const ms = performance.now() - t;
  if (!r.passed) failed++;
  console.log(`${def.name.padEnd(36)} ${r.passed ? "ok  " : "FAIL"} ${ms.toFixed(0).padStart(6)} ms${r.passed ? "" : `  ${r.reason}`}`);
}
console.log(`total ${((performance.now() - t0) / 1000).toFixed(2)} s, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
process.exitCode = failed > 0 ? 1 : 0;
