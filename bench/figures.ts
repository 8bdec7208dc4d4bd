// The Passed-line figures of all 28 tests for one seed, beside MIT's published figures
// (spec §6.1, Spring 2024 handout), and the whole suite's virtual and wall time.
//   npx tsx bench/figures.ts [seed]        (make figures SEED=1)
import { performance } from "node:perf_hooks";
import { loadImpl, passedLine, runTest } from "../src/config/index.ts";
import { allTests } from "../tests/suites/index.ts";

/** MIT 2024 handout: time (s), RPCs, bytes, cmds; null where the handout has no line. */
const MIT: Record<string, [number, number, number, number] | null> = {
  TestInitialElectionPartA: [3.5, 58, 16840, 0],
  TestReElectionPartA: [5.4, 118, 25269, 0],
  TestManyElectionsPartA: [7.3, 624, 138014, 0],
  TestBasicAgreePartB: [0.9, 16, 4572, 3],
  TestRPCBytesPartB: [1.7, 48, 114536, 11],
  TestFollowerFailurePartB: null,
  TestLeaderFailurePartB: null,
  TestFailAgreePartB: [3.6, 78, 22131, 7],
  TestFailNoAgreePartB: [3.8, 172, 40935, 3],
  TestConcurrentStartsPartB: [1.1, 24, 7379, 6],
  TestRejoinPartB: [5.1, 152, 37021, 4],
  TestBackupPartB: [17.2, 2080, 1587388, 102],
  TestCountPartB: [2.2, 60, 20119, 12],
  TestPersist1PartC: [5.0, 86, 22849, 6],
  TestPersist2PartC: [17.6, 952, 218854, 16],
  TestPersist3PartC: [2.0, 34, 8937, 4],
  TestFigure8PartC: [31.2, 580, 130675, 32],
  TestUnreliableAgreePartC: [1.7, 1044, 366392, 246],
  TestFigure8UnreliablePartC: [33.6, 10700, 33695245, 308],
  TestReliableChurnPartC: [16.1, 8864, 44771259, 1544],
  TestUnreliableChurnPartC: [16.5, 4220, 6414632, 906],
  TestSnapshotBasicPartD: [11.6, 176, 61716, 192],
  TestSnapshotInstallPartD: [64.2, 878, 320610, 336],
  TestSnapshotInstallUnreliablePartD: [81.1, 1059, 375850, 341],
  TestSnapshotInstallCrashPartD: [53.5, 601, 256638, 339],
  TestSnapshotInstallUnCrashPartD: [63.5, 687, 288294, 336],
  TestSnapshotAllCrashPartD: [19.5, 268, 81352, 58],
  TestSnapshotInitPartD: null,
};

const seed = process.argv[2] ?? "1";
const impl = await loadImpl();
const rows: string[] = [];
let virtual = 0;
let wall = 0;
let failed = 0;
const started = performance.now();
for (const def of allTests) {
  const t0 = performance.now();
  const r = await runTest(def, { seed, impl });
  const ms = performance.now() - t0;
  wall += ms;
  virtual += r.virtualMs / 1000;
  if (!r.passed || r.figures === undefined) {
    failed++;
    rows.push(`| ${def.name} | FAILED: ${r.reason} |`);
    continue;
  }
  const f = r.figures;
  process.stdout.write(`${def.name}\n${passedLine(f, ms)}\n`);
  const m = MIT[def.name];
  const mit = m ? `${m[0]} | ${m[1]} | ${m[2]} | ${m[3]}` : "— | — | — | —";
  rows.push(`| ${def.name} | ${f.seconds.toFixed(1)} | ${f.rpcs} | ${f.bytes} | ${f.cmds} | ${Math.round(ms)} | ${mit} |`);
}
const total = (performance.now() - started) / 1000;
process.stdout.write(`\nseed ${seed}\n\n| test | time (virtual s) | RPCs | bytes | cmds | wall ms | MIT time | MIT RPCs | MIT bytes | MIT cmds |\n|---|---|---|---|---|---|---|---|---|---|\n${rows.join("\n")}\n\n`);
process.stdout.write(`whole suite: ${virtual.toFixed(1)} virtual s in ${total.toFixed(2)} wall s (${(virtual / total).toFixed(0)} virtual s per wall s), one thread\n`);
process.stdout.write(`${allTests.length - failed} passed, ${failed} failed\n`);
process.exitCode = failed > 0 ? 1 : 0;
