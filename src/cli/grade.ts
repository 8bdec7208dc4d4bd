// `raftlab grade --impl PATH`: runs a submission through all four parts over many seeds,
// each test in a worker under a wall-clock watchdog, and scores it (docs/GRADING.md).
// `--shard i/N` grades one contiguous slice of the seeds, so a batch system can fan a large
// run out; `raftlab merge` combines the shard reports.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import pc from "picocolors";
import { replayCommand } from "../config/index.ts";
import { selectTests, UsageError } from "./catalog.ts";
import type { Job } from "./job.ts";
import { JobPool } from "./pool.ts";
import { Progress } from "./progress.ts";
import { buildReport, mergeReports, toJUnit, type GradeReport, type RunRecord } from "./report.ts";
import { runJobs, seedList } from "./run.ts";
import { formatTable } from "./table.ts";

export interface GradeOptions {
  impl: string;
  seeds: number;
  base: string;
  shard?: string;
  part?: string;
  workers?: number;
  json?: string;
  junit?: string;
  watchdogMs: number;
  race: boolean;
}

export function parseShard(s: string | undefined, seedCount: number): { index: number; count: number } | null {
  if (s === undefined) return null;
  const m = /^(\d+)\/(\d+)$/.exec(s);
  if (m === null) throw new UsageError(`--shard ${s}: expected i/N, e.g. 0/4 (i counts from 0)`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index >= count) throw new UsageError(`--shard ${s}: i must be between 0 and N-1`);
  if (count > seedCount) throw new UsageError(`--shard ${s}: ${count} shards but only ${seedCount} seeds; every shard needs a seed`);
  return { index, count };
}

/** Shard i of N takes a contiguous slice of the seed list. */
export function shardSeeds(seeds: string[], shard: { index: number; count: number } | null): string[] {
  if (shard === null) return seeds;
  const lo = Math.floor((shard.index * seeds.length) / shard.count);
  const hi = Math.floor(((shard.index + 1) * seeds.length) / shard.count);
  return seeds.slice(lo, hi);
}

export async function gradeCommand(opts: GradeOptions): Promise<number> {
  const implPath = resolve(opts.impl);
  if (!existsSync(implPath)) throw new UsageError(`--impl ${opts.impl}: no such file`);
  const tests = selectTests({ part: opts.part });
  const all = seedList({ seeds: opts.seeds, base: opts.base });
  const shard = parseShard(opts.shard, all.length);
  const seeds = shardSeeds(all, shard);
  const jobs: Job[] = tests.flatMap((t) => seeds.map((seed) => ({ test: t.name, seed, impl: implPath, race: opts.race })));
  const pool = new JobPool({ ...(opts.workers !== undefined ? { workers: opts.workers } : {}), watchdogMs: opts.watchdogMs });
  process.stderr.write(`raftlab grade: ${implPath}\n  ${tests.length} tests × ${seeds.length} seeds${shard ? ` (shard ${shard.index}/${shard.count})` : ""} on ${pool.workers} worker(s)\n`);
  const progress = new Progress(jobs.length, "grading");
  const { results, interrupted } = await runJobs(pool, jobs, progress);
  await pool.close();
  const runs: RunRecord[] = results.map((r) => ({
    test: r.name, part: r.part || (tests.find((t) => t.name === r.name)?.part ?? ""), seed: r.seed, passed: r.passed,
    ...(r.reason !== undefined ? { reason: r.reason } : {}),
    virtualMs: r.virtualMs, wallMs: Math.round(r.wallMs),
    ...(r.figures ? { rpcs: r.figures.rpcs, bytes: r.figures.bytes } : {}),
  }));
  const report = buildReport(implPath, seeds, shard, runs, opts.race);
  writeOutputs(report, opts.json, opts.junit);
  printReport(report, implPath);
  if (interrupted) process.stdout.write("interrupted: the report covers only the runs that finished\n");
  return interrupted ? 1 : 0;
}

export function mergeCommand(files: string[], opts: { json?: string; junit?: string }): number {
  if (files.length === 0) throw new UsageError("merge: give the shard reports to combine, e.g. raftlab merge shard-*.json --json all.json");
  const reports = files.map((f) => {
    try {
      return JSON.parse(readFileSync(f, "utf8")) as GradeReport;
    } catch (e) {
      throw new UsageError(`merge: cannot read ${f}: ${(e as Error).message}`);
    }
  });
  let merged: GradeReport;
  try {
    merged = mergeReports(reports);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  writeOutputs(merged, opts.json, opts.junit);
  printReport(merged, merged.impl);
  return 0;
}

function writeOutputs(report: GradeReport, json?: string, junit?: string): void {
  if (json !== undefined) writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  if (junit !== undefined) writeFileSync(junit, toJUnit(report));
}

function printReport(report: GradeReport, implPath: string): void {
  const out = process.stdout;
  out.write(`\n${formatTable(["test", "runs", "passed", "pass rate", "points"],
    report.tests.filter((t) => t.runs > 0).map((t) => [t.test, t.runs, t.passed, `${(t.passRate * 100).toFixed(0)}%`, `${t.points}/${t.maxPoints}`]))}\n\n`);
  for (const p of report.parts) out.write(`Part${p.part}: ${p.points} / ${p.maxPoints}\n`);
  out.write(`${pc.bold(`score: ${report.score} / ${report.maxScore}`)}\n`);
  const failed = report.runs.filter((r) => !r.passed);
  for (const r of failed.slice(0, 20)) out.write(`${pc.red("FAIL")} ${r.test} seed ${r.seed}: ${r.reason}\n     replay: ${replayCommand(r.test, r.seed, implPath, report.race)}\n`);
  if (failed.length > 20) out.write(`… and ${failed.length - 20} more failing runs (see the JSON report)\n`);
  out.write(`${report.runs.length - failed.length} passed, ${failed.length} failed\n`);
}
