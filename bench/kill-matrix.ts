// The kill matrix: every broken Raft in tests/broken/ against every MIT test and scenario,
// seeds 1..N (default 20), counting the seeds on which the run fails. Writes a markdown
// table (docs/BROKEN.md quotes it) and a JSON file of every cell with the first reason.
//   npx tsx bench/kill-matrix.ts [--seeds 20] [--workers 2] [--only name,name] [--out bench/kill-matrix]
//                                [--tests regex --merge bench/kill-matrix.json]   (add or redo columns)
// Runs take a thread each (the CLI's JobPool); a broken Raft that trips at once costs little,
// the subtle ones pass most tests and cost a full suite per seed.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { JobPool } from "../src/cli/pool.ts";
import { allTests } from "../tests/suites/index.ts";
import { scenarios } from "../tests/suites/scenarios.ts";

const usage = `usage: npx tsx bench/kill-matrix.ts [--seeds N] [--run-seeds N] [--workers N] [--only name,name]
                                 [--tests regex] [--merge bench/kill-matrix.json] [--out bench/kill-matrix]
Runs every broken Raft in tests/broken/ (or --only those) against every MIT test and scenario
(or those matching --tests) on seeds 1..N, and writes <out>.md and <out>.json.`;
const flags = new Set(["--seeds", "--run-seeds", "--workers", "--out", "--only", "--tests", "--merge"]);
for (let i = 2; i < process.argv.length; i += 2) {
  const a = process.argv[i]!;
  if (a === "--help" || a === "-h") { console.log(usage); process.exit(0); }
  if (!flags.has(a) || process.argv[i + 1] === undefined) { console.error(`kill-matrix: unknown or incomplete option ${a}\n${usage}`); process.exit(2); }
}
const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const seeds = Number(arg("--seeds", "20"));
/** The seeds of this invocation's columns (the table's reference count stays --seeds). */
const runSeeds = Number(arg("--run-seeds", String(seeds)));
const workers = Number(arg("--workers", "2"));
const out = arg("--out", "bench/kill-matrix");
const only = arg("--only", "");
/** Every broken Raft: the table's rows (with --merge, cells not run now come from the JSON). */
const everyModule = readdirSync("tests/broken").filter((f) => f.endsWith(".ts") && f !== "make.ts").map((f) => f.replace(/\.ts$/, "")).sort();
const modules = everyModule.filter((m) => only === "" || only.split(",").includes(m));
const tests = [...allTests, ...scenarios];
const testFilter = new RegExp(arg("--tests", "."));
const mergeFrom = arg("--merge", "");
/** Short column names: A1..A3, B1..B10, C1..C8, D1..D7 in MIT's order, S1.. for the scenarios. */
const column = new Map<string, string>();
for (const part of ["A", "B", "C", "D"]) allTests.filter((t) => t.part === part).forEach((t, k) => column.set(t.name, `${part}${k + 1}`));
scenarios.forEach((t, k) => column.set(t.name, `S${k + 1}`));

const pool = new JobPool({ workers, watchdogMs: 300_000 });
interface Cell { caught: number; runs: number; first?: string; seeds: string[] }
const matrix: Record<string, Record<string, Cell>> = mergeFrom === "" ? {} : (JSON.parse(readFileSync(mergeFrom, "utf8")) as { matrix: Record<string, Record<string, Cell>> }).matrix;
for (const m of modules) for (const t of tests) if (testFilter.test(t.name) && matrix[m]?.[t.name] !== undefined) delete matrix[m]![t.name];
const jobs = modules.flatMap((m) => tests.filter((t) => testFilter.test(t.name)).flatMap((t) => Array.from({ length: runSeeds }, (_, k) => ({ m, test: t.name, seed: String(k + 1) }))));
let next = 0;
let done = 0;
const started = Date.now();
await Promise.all(Array.from({ length: workers }, async () => {
  while (next < jobs.length) {
    const j = jobs[next++]!;
    const r = await pool.run({ test: j.test, seed: j.seed, impl: `tests/broken/${j.m}.ts` });
    const cell = ((matrix[j.m] ??= {})[j.test] ??= { caught: 0, runs: 0, seeds: [] });
    cell.runs++;
    if (!r.passed) {
      cell.caught++;
      cell.seeds.push(j.seed);
      cell.first ??= (r.reason ?? "failed").replace(/ \(at \d+ ms\)$/, "");
    }
    if (++done % 200 === 0) {
      process.stderr.write(`${done}/${jobs.length} runs, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
      writeFileSync(`${out}.json`, `${JSON.stringify({ seeds, matrix }, null, 1)}\n`); // partial results survive an interruption
    }
  }
}));
await pool.close();

const header = ["broken Raft", ...tests.map((t) => column.get(t.name)!), "MIT best", "scenario best"];
const rows = (mergeFrom === "" ? modules : everyModule).map((m) => {
  const cells = tests.map((t) => matrix[m]?.[t.name]);
  const best = (defs: readonly (typeof tests)[number][]): string => {
    let top = { name: "", caught: 0 };
    let runs = seeds;
    for (const t of defs) {
      const c = matrix[m]?.[t.name];
      if (c !== undefined && c.runs > 0 && c.caught / c.runs > top.caught / runs) { top = { name: column.get(t.name)!, caught: c.caught }; runs = c.runs; }
    }
    return top.caught === 0 ? "0" : `${top.name} ${top.caught}/${runs}`;
  };
  const shown = (c: Cell | undefined): string => (c === undefined ? "–" : c.runs !== seeds ? `${c.caught}/${c.runs}` : c.caught === 0 ? "·" : String(c.caught));
  return [`\`${m}\``, ...cells.map(shown), best(allTests), best(scenarios)];
});
const legend = tests.map((t) => `${column.get(t.name)} ${t.name}`).join(", ");
const md = [
  `Seeds caught out of ${seeds} (seeds 1..${seeds}, default scheduling; · = 0; x/n where a column ran n seeds; – not run). Columns: ${legend}.`,
  "",
  `| ${header.join(" | ")} |`,
  `|${header.map(() => "---").join("|")}|`,
  ...rows.map((r) => `| ${r.join(" | ")} |`),
  "",
  `${jobs.length} runs in ${((Date.now() - started) / 1000).toFixed(0)} s on ${workers} worker(s).`,
].join("\n");
writeFileSync(`${out}.md`, `${md}\n`);
writeFileSync(`${out}.json`, `${JSON.stringify({ seeds, matrix }, null, 1)}\n`);
process.stdout.write(`${md}\n`);
