// What confinement (src/sandbox) costs: every MIT test, one seed, run with the reference
// imported as it is and with the reference confined, in the same process, each warmed once
// and then measured twice (the lower CPU time counts: this machine's load varies).
//   npx tsx bench/confinement.ts [seed]
import { DEFAULT_IMPL, loadImpl, runTest, type TestDef } from "../src/config/index.ts";
import type { RaftModule } from "../src/raft/api.ts";
import { allTests } from "../tests/suites/index.ts";

const seed = process.argv[2] ?? "1";
const direct = await loadImpl(DEFAULT_IMPL, { confine: false });
const confined = await loadImpl(DEFAULT_IMPL, { confine: true });

async function cpuMs(impl: RaftModule, def: TestDef): Promise<number> {
  const before = process.cpuUsage();
  const r = await runTest(def, { seed, impl });
  if (!r.passed) throw new Error(`${def.name} failed: ${r.reason}`);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

for (const def of allTests) {
  await cpuMs(direct, def);
  await cpuMs(confined, def);
}
let totalDirect = 0;
let totalConfined = 0;
process.stdout.write(`seed ${seed}\n\n| test | unconfined CPU ms | confined CPU ms | ratio |\n|---|---|---|---|\n`);
for (const def of allTests) {
  const a = Math.min(await cpuMs(direct, def), await cpuMs(direct, def));
  const b = Math.min(await cpuMs(confined, def), await cpuMs(confined, def));
  totalDirect += a;
  totalConfined += b;
  process.stdout.write(`| ${def.name} | ${a.toFixed(0)} | ${b.toFixed(0)} | ${(b / a).toFixed(2)} |\n`);
}
process.stdout.write(`| whole suite | ${totalDirect.toFixed(0)} | ${totalConfined.toFixed(0)} | ${(totalConfined / totalDirect).toFixed(2)} |\n`);
