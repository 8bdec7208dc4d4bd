// The whole suite as a workload (issue 10): all 28 tests for one seed, in this thread, for the
// reference Raft and for the student-style Raft of bench/student-raft, side by side in one run.
//
//   npx tsx bench/workload.ts [seed]          (part of make bench)
//
// Prints, for each Raft: the whole suite's wall time, events run and events per wall second,
// virtual seconds per wall second; the five heaviest tests' wall times; and the peak RSS of a
// fresh process running the student Raft's heaviest test alone (what one worker needs). The
// student Raft runs unconfined (imported directly, as the reference is) and, for the whole
// suite, also confined as `raftlab run --impl` runs a submission. Asserts nothing.
import { spawnSync } from "node:child_process";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { loadImpl, runTest } from "../src/config/index.ts";
import type { RaftModule } from "../src/raft/api.ts";
import { allTests } from "../tests/suites/index.ts";

const seed = process.argv[2] ?? "1";
console.log(`raftlab workload — node ${process.version}, ${os.availableParallelism()} cpus, load ${os.loadavg()[0]!.toFixed(1)}`);
const STUDENT = fileURLToPath(new URL("./student-raft/raft.ts", import.meta.url));

interface SuiteRun {
  name: string;
  wallMs: number;
  /** CPU time of this process (all threads) over the suite: on a shared machine, wall time also counts waiting for a core. */
  cpuMs: number;
  virtualMs: number;
  events: number;
  failed: string[];
  perTest: Map<string, number>;
}

async function suite(name: string, impl: RaftModule): Promise<SuiteRun> {
  const run: SuiteRun = { name, wallMs: 0, cpuMs: 0, virtualMs: 0, events: 0, failed: [], perTest: new Map() };
  const cpu0 = process.cpuUsage();
  for (const def of allTests) {
    const t0 = performance.now();
    const r = await runTest(def, { seed, impl });
    const ms = performance.now() - t0;
    run.wallMs += ms;
    run.virtualMs += r.virtualMs;
    run.events += r.events;
    run.perTest.set(def.name, ms);
    if (!r.passed) run.failed.push(`${def.name}: ${r.reason}`);
  }
  const cpu = process.cpuUsage(cpu0);
  run.cpuMs = (cpu.user + cpu.system) / 1000;
  return run;
}

/** Peak RSS (MiB) of a fresh process running one test of the student Raft, unconfined. */
function peakRss(test: string): number {
  const r = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./suite.ts", import.meta.url)), "--impl", STUDENT, "--seed", seed, "--test", `^${test}$`], {
    encoding: "utf8",
    env: { ...process.env, RAFTLAB_CONFINE: "0" },
  });
  const m = /peak RSS (\d+) MB/.exec(r.stdout);
  return m ? Number(m[1]) : NaN;
}

const reference = await suite("reference (src/raft)", await loadImpl(undefined));
const student = await suite("student-style (bench/student-raft)", await loadImpl(STUDENT, { confine: false }));
const confined = await suite("student-style, confined", await loadImpl(STUDENT, { confine: true }));

const rows = [reference, student, confined];
const fmt = (x: number, d = 0): string => x.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
console.log(`\nwhole suite, seed ${seed}, one thread (${allTests.length} tests)\n`);
console.log(`${"Raft".padEnd(36)} ${"wall s".padStart(7)} ${"× ref".padStart(6)} ${"cpu s".padStart(6)} ${"× ref".padStart(6)} ${"events".padStart(10)} ${"events/s".padStart(10)} ${"virtual s".padStart(9)} ${"virtual s / wall s".padStart(18)}  failed`);
for (const r of rows) {
  console.log(`${r.name.padEnd(36)} ${fmt(r.wallMs / 1000, 2).padStart(7)} ${fmt(r.wallMs / reference.wallMs, 1).padStart(6)} ${fmt(r.cpuMs / 1000, 2).padStart(6)} ${fmt(r.cpuMs / reference.cpuMs, 1).padStart(6)} ${fmt(r.events).padStart(10)} ${fmt(r.events / (r.wallMs / 1000)).padStart(10)} ${fmt(r.virtualMs / 1000, 1).padStart(9)} ${fmt(r.virtualMs / r.wallMs, 0).padStart(18)}  ${r.failed.length}`);
}
for (const r of rows) for (const f of r.failed) console.log(`  FAILED (${r.name}) ${f}`);

const heaviest = [...student.perTest.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
console.log(`\nthe five heaviest tests (by the student-style Raft's wall time), wall ms\n`);
console.log(`${"test".padEnd(36)} ${"reference".padStart(9)} ${"student".padStart(9)} ${"confined".padStart(9)}`);
for (const [test, ms] of heaviest) {
  console.log(`${test.padEnd(36)} ${fmt(reference.perTest.get(test)!).padStart(9)} ${fmt(ms).padStart(9)} ${fmt(confined.perTest.get(test)!).padStart(9)}`);
}
const top = heaviest[0]![0];
console.log(`\npeak RSS of a fresh process running ${top} (student-style Raft) alone: ${peakRss(top)} MiB`);
console.log(`this process's max RSS: ${fmt(process.resourceUsage().maxRSS / 1024)} MiB`);
process.exitCode = rows.some((r) => r.failed.length > 0) ? 1 : 0;
