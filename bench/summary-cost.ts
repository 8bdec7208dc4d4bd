// The cost of the always-on run summary (src/config/summary.ts): every MIT test once (seed 1)
// with its full trace, then the trace folded into a fresh RunSummary five times.
//   npx tsx bench/summary-cost.ts
import { performance } from "node:perf_hooks";
import { loadImpl, runTest } from "../src/config/index.ts";
import { RunSummary } from "../src/config/summary.ts";
import { allTests } from "../tests/suites/index.ts";
const impl = await loadImpl("");
let events = 0, feedMs = 0, runMs = 0;
for (const def of allTests) {
  const t0 = performance.now();
  const r = await runTest(def, { seed: "1", impl, keepTrace: true });
  runMs += performance.now() - t0;
  const trace = r.trace!;
  events += trace.length;
  const t1 = performance.now();
  for (let k = 0; k < 5; k++) { const s = new RunSummary(); for (const e of trace) s.observe(e); }
  feedMs += (performance.now() - t1) / 5;
}
console.log(`events ${events}, summary fold ${feedMs.toFixed(0)} ms, whole suite with full traces ${runMs.toFixed(0)} ms, ${(1e6 * feedMs / events).toFixed(0)} ns/event`);
