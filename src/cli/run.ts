// `raftlab run`: the chosen tests over many seeds in parallel worker threads, with live
// progress, then a table per test and the failing seeds with their replay commands.
import { randomInt } from "node:crypto";
import { hollowPassLines, summarizeCoverage, type TestCoverage } from "../config/coverage.ts";
import { replayCommand } from "../config/index.ts";
import { seedRange } from "./args.ts";
import { selectTests } from "./catalog.ts";
import { pc } from "./colour.ts";
import type { Job, JobResult } from "./job.ts";
import { poolForImpl } from "./contained.ts";
import { DEFAULT_WATCHDOG_MS, type Pool } from "./pool.ts";
import { Progress } from "./progress.ts";
import { pruneResults, ResultsDir, runId } from "./results.ts";
import { formatTable, mean, NO_FIGURE } from "./table.ts";

export interface RunOptions {
  part?: string;
  test?: string;
  seeds: number;
  seed?: string;
  base?: string;
  workers?: number;
  impl: string;
  results: string;
  watchdogMs: number;
  race: boolean;
  /** Run the scenario bank too (tests/suites/scenarios.ts). */
  scenarios?: boolean;
}

/** The seeds of a run: one given seed, or N consecutive seeds from a base (drawn if not given). */
export function seedList(opts: { seed?: string | undefined; seeds: number; base?: string | undefined }): string[] {
  if (opts.seed !== undefined) return seedRange(opts.seed, 1, "--seed");
  return seedRange(opts.base ?? String(randomInt(1, 1_000_000_000)), opts.seeds);
}

export interface TestSummary {
  test: string;
  part: string;
  runs: number;
  passed: number;
  failed: number;
  meanVirtualS: number;
  meanWallMs: number;
  meanRpcs: number;
  meanBytes: number;
  failures: Array<{ seed: string; reason: string }>;
  /** Runs that passed or failed with warnings (killed instances that kept sending), and the first one. */
  warned: number;
  firstWarning?: { seed: string; message: string };
}

export function summarize(results: JobResult[], order: string[]): TestSummary[] {
  return order.flatMap((name) => {
    const rs = results.filter((r) => r.name === name);
    if (rs.length === 0) return [];
    const ok = rs.filter((r) => r.passed);
    return [{
      test: name,
      part: rs[0]!.part,
      runs: rs.length,
      passed: ok.length,
      failed: rs.length - ok.length,
      meanVirtualS: mean(rs.map((r) => r.virtualMs / 1000)),
      meanWallMs: mean(rs.map((r) => r.wallMs)),
      meanRpcs: mean(ok.map((r) => r.figures?.rpcs ?? 0)),
      meanBytes: mean(ok.map((r) => r.figures?.bytes ?? 0)),
      failures: rs.filter((r) => !r.passed).map((r) => ({ seed: r.seed, reason: r.reason ?? "failed" })),
      warned: rs.filter((r) => r.warnings.length > 0).length,
      ...firstWarning(rs),
    }];
  });
}

function firstWarning(rs: JobResult[]): { firstWarning?: { seed: string; message: string } } {
  const r = rs.find((x) => x.warnings.length > 0);
  return r === undefined ? {} : { firstWarning: { seed: r.seed, message: r.warnings[0]!.message } };
}

/** Below the table: one line per test whose runs warned (how many, and the first warning). */
export function warningLines(summaries: TestSummary[]): string[] {
  return summaries.filter((s) => s.firstWarning !== undefined).map((s) =>
    `${s.test}: ${s.warned} of ${s.runs} runs warned; seed ${s.firstWarning!.seed}: ${s.firstWarning!.message}`);
}

/** RPCs and bytes are means over the passing runs (MIT prints them only on a pass): "—" when none passed. */
export function summaryTable(summaries: TestSummary[]): string {
  return formatTable(
    ["test", "runs", "passed", "failed", "warned", "virtual s", "wall ms", "RPCs", "bytes"],
    summaries.map((s) => [s.test, s.runs, s.passed, s.failed, s.warned, s.meanVirtualS.toFixed(1), Math.round(s.meanWallMs),
      s.passed > 0 ? Math.round(s.meanRpcs) : NO_FIGURE, s.passed > 0 ? Math.round(s.meanBytes) : NO_FIGURE]),
  );
}

/** Runs jobs on the pool, ticking progress; stops scheduling on Ctrl-C and keeps what finished. */
export async function runJobs(pool: Pool, jobs: Job[], progress: Progress, onResult?: (r: JobResult) => void): Promise<{ results: JobResult[]; interrupted: boolean }> {
  const results: JobResult[] = [];
  let interrupted = false;
  const onSigint = (): void => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write(`\n${pc.yellow("interrupted: stopping; press Ctrl-C again to quit at once")}\n`);
    pool.cancelAll();
  };
  process.on("SIGINT", onSigint);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (!interrupted && next < jobs.length) {
      const job = jobs[next++]!;
      const r = await pool.run(job);
      if ((r as JobResult & { cancelled?: boolean }).cancelled === true || interrupted) continue;
      results.push(r);
      onResult?.(r);
      progress.tick(r.passed);
    }
  };
  await Promise.all(Array.from({ length: pool.workers }, lane));
  process.off("SIGINT", onSigint);
  progress.stop();
  return { results, interrupted };
}

export async function runCommand(opts: RunOptions): Promise<number> {
  const tests = selectTests({ part: opts.part, test: opts.test, scenarios: opts.scenarios === true });
  const seeds = seedList(opts);
  const jobs: Job[] = seeds.flatMap((seed) => tests.map((t) => ({ test: t.name, seed, impl: opts.impl, race: opts.race })));
  // An --impl runs in contained worker processes, the reference in threads (contained.ts).
  const { pool, done } = await poolForImpl(opts.impl, { ...(opts.workers !== undefined ? { workers: opts.workers } : {}), watchdogMs: opts.watchdogMs, defaultWatchdogMs: DEFAULT_WATCHDOG_MS });
  const id = runId(new Date());
  const dir = new ResultsDir(opts.results, id);
  process.stderr.write(`raftlab run: ${tests.length} test(s) × ${seeds.length} seed(s) = ${jobs.length} runs on ${pool.workers} worker(s); seeds ${seeds[0]}${seeds.length > 1 ? `..${seeds.at(-1)}` : ""}${opts.race ? "; heavy (race) mode" : ""}\n`);
  const started = Date.now();
  const progress = new Progress(jobs.length, "running");
  const { results, interrupted } = await runJobs(pool, jobs, progress);

  // Failing runs: replay each once with its full trace, keep it, and check it reproduces.
  const order = new Map(tests.map((t, i) => [t.name, i]));
  const failures = results.filter((r) => !r.passed)
    .sort((a, b) => order.get(a.name)! - order.get(b.name)! || Number(a.seed) - Number(b.seed));
  const notes = new Map<JobResult, string>();
  for (const r of failures) {
    if (r.traceHash === "") {
      notes.set(r, dir.writeFailure(r, undefined, "(no trace: the run did not finish)"));
      continue;
    }
    const again = await pool.run({ test: r.name, seed: r.seed, impl: opts.impl, keepTrace: true, race: opts.race });
    const same = again.traceHash === r.traceHash;
    const note = same ? `replayed: identical trace (hash ${r.traceHash})` : `WARNING: the replay's trace differs (hash ${r.traceHash} vs ${again.traceHash}): the implementation uses a clock or randomness the simulator does not control`;
    notes.set(r, dir.writeFailure(r, again.trace, note));
  }
  await pool.close();
  done();

  const summaries = summarize(results, tests.map((t) => t.name));
  const wallS = (Date.now() - started) / 1000;
  dir.writeSummary({ impl: opts.impl || "reference", seeds, race: opts.race, wallSeconds: wallS, interrupted, tests: summaries });
  const out = process.stdout;
  out.write(`\n${summaryTable(summaries)}\n\n`);
  const warned = warningLines(summaries);
  if (warned.length > 0) out.write(`${warned.join("\n")}\n\n`);
  const coverage = summarizeCoverage(results, tests.map((t) => t.name));
  if (coverage.length > 0) out.write(`${coverageTable(coverage)}\n\n`);
  for (const line of hollowPassLines(coverage)) out.write(`${pc.yellow("NOTE")} ${line}\n`);
  for (const r of failures) {
    out.write(`${pc.red("FAIL")} ${r.name} seed ${r.seed}: ${r.reason}\n${(r.diagnosis ?? []).map((l) => `     ${l}\n`).join("")}     replay: ${replayCommand(r.name, r.seed, opts.impl, opts.race)}\n     report: ${notes.get(r)}\n`);
  }
  const passed = results.length - failures.length;
  out.write(`\n${interrupted ? "interrupted; " : ""}${results.length} of ${jobs.length} runs finished in ${wallS.toFixed(1)} s; results in ${dir.dir}\n`);
  out.write(`${passed} passed, ${failures.length} failed\n`);
  pruneResults(opts.results, dir.dir);
  return failures.length > 0 || interrupted ? 1 : 0;
}

/** Per test: the faults it declares (src/config/coverage.ts), and in how many of its runs each happened. */
export function coverageTable(cov: readonly TestCoverage[]): string {
  return formatTable(
    ["test", "exists to exercise: runs where it happened", "passed without it"],
    cov.map((c) => [c.test, c.faults.map((f) => `${f.fault} ${f.met}/${c.runs}`).join(", "), c.hollowPasses.length]),
  );
}
