// `raftlab grade`: runs a submission through the four parts over many seeds and scores it
// (docs/GRADING.md). The submission (--submission: a repository, its src/raft folder, or one
// file; --impl: a module) is type-checked, compiled over the course's harness and run in
// contained worker processes; only this process writes the reports, after the workers have
// ended. `--shard i/N` grades one slice of the seeds for a batch system; `raftlab merge`
// combines the shard reports; `--class DIR` grades every submission in a folder (class.ts).
import { readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { replayCommand } from "../config/index.ts";
import { outputFileArg } from "./args.ts";
import { buildTree, BuildError, harnessVersion, type Build } from "./build.ts";
import { isScenario, selectTests, UsageError } from "./catalog.ts";
import { classCommand } from "./class.ts";
import { pc } from "./colour.ts";
import { SubmissionError } from "../sandbox/index.ts";
import { ContainedPool, DEFAULT_STALL_MS, workerLoad } from "./contained.ts";
import type { Job, JobResult } from "./job.ts";
import { Progress } from "./progress.ts";
import type { WorkerLoad } from "./worker-process.ts";
import { buildReport, mergeReports, shardSeeds, toJUnit, type GradeReport, type GradeSettings, type RunRecord } from "./report.ts";
import { runJobs, seedList } from "./run.ts";
import { printScenarioSection, scenarioJobs, scenarioSection } from "./scenario-grade.ts";
import { resolveSubmission, type Submission } from "./submission.ts";
import { formatTable } from "./table.ts";
import { typecheckSubmission } from "./typecheck.ts";

export interface GradeOptions {
  impl?: string;
  submission?: string;
  class?: string;
  seeds: number;
  base: string;
  shard?: string;
  part?: string;
  test?: string;
  workers?: number;
  json?: string;
  junit?: string;
  csv?: string;
  /** --class: a folder for each student's full JSON report. */
  reports?: string;
  /** Stall limit (wall ms): a run whose virtual clock stands still this long is hung. */
  watchdogMs?: number;
  race: boolean;
  failUnder?: number;
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

export { shardSeeds };

/** Output files are checked before any work: a missing folder is one sentence, exit 2. */
export function checkOutputs(outputs: Array<[flag: string, path: string | undefined]>): void {
  for (const [flag, path] of outputs) if (path !== undefined) outputFileArg(flag)(path);
}

export function parseFailUnder(v: string): number {
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n) || n < 0 || n > 100) throw new UsageError(`--fail-under ${v}: a score between 0 and 100`);
  return n;
}

/** One submission's grading, as the class table and `grade` both need it. */
export interface GradeRun {
  report: GradeReport;
  interrupted: boolean;
}

export async function gradeSubmission(sub: Submission, opts: GradeOptions, log: (s: string) => void): Promise<GradeRun> {
  const tests = selectTests({ part: opts.part, test: opts.test });
  const all = seedList({ seeds: opts.seeds, base: opts.base });
  const shard = parseShard(opts.shard, all.length);
  const seeds = shardSeeds(all, shard);
  const settings: GradeSettings = {
    impl: sub.given, entry: entryPath(sub), harness: harnessVersion(), graded: tests.map((t) => t.name),
    base: all[0]!, seedCount: all.length, race: opts.race,
  };
  const jobs: Job[] = tests.flatMap((t) => seeds.map((seed) => ({ test: t.name, seed, impl: sub.given, race: opts.race })));
  const partOf = new Map(tests.map((t) => [t.name, t.part]));
  const notRun = (reason: string): RunRecord[] => jobs.map((j) => ({ test: j.test, part: partOf.get(j.test)!, seed: j.seed, passed: false, outcome: "failed", reason, virtualMs: 0, wallMs: 0 }));

  // The type check runs beside the grading (it is the parent's work; the runs are the workers').
  const typecheckP = typecheckSubmission(sub);
  const typeErrorsOf = async (): Promise<string[]> => {
    const typecheck = await typecheckP;
    if (typecheck.skipped !== undefined) log(`  type check skipped: ${typecheck.skipped}\n`);
    else if (typecheck.errors.length > 0) log(`  ${pc.yellow(`${typecheck.errors.length} type error(s)`)} (they cost no points; listed in the report)\n`);
    return typecheck.errors;
  };

  let build: Build;
  try {
    build = await buildTree(sub);
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    const loadError = `the implementation does not compile: ${e.message}`;
    return { report: buildReport(settings, seeds, shard, notRun("not run: the implementation did not load (see loadError)"), { typeErrors: await typeErrorsOf(), loadError }), interrupted: false };
  }
  let load: WorkerLoad;
  try {
    load = await workerLoad(sub, build);
  } catch (e) {
    build.remove();
    if (!(e instanceof SubmissionError)) throw e;
    const loadError = e.message;
    return { report: buildReport(settings, seeds, shard, notRun("not run: the implementation did not load (see loadError)"), { typeErrors: await typeErrorsOf(), loadError }), interrupted: false };
  }
  const pool = new ContainedPool({ build, load, workers: opts.workers ?? defaultWorkers(), stallMs: opts.watchdogMs ?? DEFAULT_STALL_MS, mapMessage: build.mapMessage });
  try {
    log(`  ${tests.length} tests × ${seeds.length} seeds${shard ? ` (shard ${shard.index}/${shard.count})` : ""} on ${pool.workers} contained worker(s)\n`);
    const loadError = await pool.probe();
    if (loadError !== undefined) {
      return { report: buildReport(settings, seeds, shard, notRun("not run: the implementation did not load (see loadError)"), { typeErrors: await typeErrorsOf(), loadError, peakWorkerMb: pool.peakRssMb }), interrupted: false };
    }
    // The scenario bank runs beside MIT's tests and is scored apart (scenario-grade.ts).
    const extra = scenarioJobs(opts, seeds, sub.given);
    const progress = new Progress(jobs.length + extra.length, "grading");
    const { results, interrupted } = await runJobs(pool, [...jobs, ...extra], progress);
    await pool.close();
    const runs = results.filter((r) => !isScenario(r.name)).map((r) => toRecord(r, partOf));
    const report = buildReport(settings, seeds, shard, runs, { typeErrors: await typeErrorsOf(), peakWorkerMb: pool.peakRssMb });
    report.scenarios = scenarioSection(results.filter((r) => isScenario(r.name)), results, [...tests.map((t) => t.name), ...new Set(extra.map((j) => j.test))]);
    return { report, interrupted };
  } finally {
    await pool.close();
    build.remove();
  }
}

function toRecord(r: JobResult, partOf: Map<string, string>): RunRecord {
  return {
    test: r.name, part: r.part || (partOf.get(r.name) ?? ""), seed: r.seed, passed: r.passed,
    outcome: r.passed ? "passed" : (r.outcome ?? "failed"),
    ...(r.reason !== undefined ? { reason: r.reason } : {}),
    virtualMs: r.virtualMs, wallMs: Math.round(r.wallMs),
    ...(r.figures ? { rpcs: r.figures.rpcs, bytes: r.figures.bytes } : {}),
    ...(r.diagnosis !== undefined ? { diagnosis: r.diagnosis } : {}),
  };
}

function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

/** The module a replay command names: the submission's entry file. */
export function entryPath(sub: Submission): string {
  return sub.layout === "checkout" ? sub.given : join(sub.dir!, sub.entry);
}

export async function gradeCommand(opts: GradeOptions): Promise<number> {
  const given = [opts.impl !== undefined && "--impl", opts.submission !== undefined && "--submission", opts.class !== undefined && "--class"].filter(Boolean);
  if (given.length !== 1) throw new UsageError(given.length === 0 ? "grade: give the submission: --submission PATH (a repository, its src/raft folder, or one file), or --class DIR" : `grade: give one of ${given.join(" and ")}, not both`);
  checkOutputs([["--json", opts.json], ["--junit", opts.junit], ["--csv", opts.csv]]);
  if (opts.class !== undefined) return classCommand(opts.class, opts);
  if (opts.csv !== undefined || opts.reports !== undefined) throw new UsageError(`${opts.csv !== undefined ? "--csv" : "--reports"} is for a class table: use it with --class DIR`);
  const sub = resolveSubmission((opts.submission ?? opts.impl)!, opts.submission !== undefined ? "--submission" : "--impl");
  selectTests({ part: opts.part, test: opts.test });
  process.stderr.write(`raftlab grade: ${sub.given}${sub.layout !== "checkout" ? ` (${sub.layout}: ${sub.files.length} file(s) of src/raft over the course's harness)` : ""}\n`);
  const { report, interrupted } = await gradeSubmission(sub, opts, (s) => process.stderr.write(s));
  writeOutputs(report, opts.json, opts.junit);
  printReport(report, entryPath(sub));
  if (report.scenarios !== undefined) printScenarioSection(report.scenarios, entryPath(sub), report.race);
  if (interrupted) {
    process.stdout.write("interrupted: the report covers only the runs that finished\n");
    return 1;
  }
  if (opts.failUnder !== undefined && report.score < opts.failUnder) {
    process.stdout.write(`score ${report.score} is under --fail-under ${opts.failUnder}\n`);
    return 1;
  }
  return 0;
}

export function mergeCommand(files: string[], opts: { json?: string; junit?: string }): number {
  if (files.length === 0) throw new UsageError("merge: give the shard reports to combine, e.g. raftlab merge shard-*.json --json all.json");
  checkOutputs([["--json", opts.json], ["--junit", opts.junit]]);
  const reports = files.map((f) => {
    let text: string;
    try {
      text = readFileSync(f, "utf8");
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UsageError(`merge: cannot read ${f}${code === "ENOENT" ? ": no such file" : code === "EISDIR" ? ": it is a folder" : `: ${(e as Error).message}`}`);
    }
    try {
      return JSON.parse(text) as GradeReport;
    } catch (e) {
      throw new UsageError(`merge: ${f} is not JSON (${(e as Error).message})`);
    }
  });
  let merged: GradeReport;
  try {
    merged = mergeReports(reports, files);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  writeOutputs(merged, opts.json, opts.junit);
  printReport(merged, merged.entry);
  return 0;
}

export function writeOutputs(report: GradeReport, json?: string, junit?: string): void {
  if (json !== undefined) writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  if (junit !== undefined) writeFileSync(junit, toJUnit(report));
}

function printReport(report: GradeReport, implPath: string): void {
  const out = process.stdout;
  out.write(`\n${formatTable(["test", "runs", "passed", "pass rate", "points"],
    report.tests.filter((t) => t.graded).map((t) => [t.test, t.runs, t.passed, `${(t.passRate * 100).toFixed(0)}%`, `${t.points}/${t.maxPoints}`]))}\n\n`);
  for (const p of report.parts) out.write(p.graded ? `Part${p.part}: ${p.points} / ${p.maxPoints}\n` : `Part${p.part}: not graded\n`);
  const partial = report.parts.some((p) => !p.graded) || report.maxScore !== 100 ? " (of the parts and tests graded)" : "";
  out.write(`${pc.bold(`score: ${report.score} / ${report.maxScore}`)}${partial}\n`);
  if (report.typeErrors.length > 0) {
    out.write(`${pc.yellow(`${report.typeErrors.length} type error(s)`)} (no points lost; see docs/GRADING.md):\n`);
    for (const e of report.typeErrors.slice(0, 10)) out.write(`  ${e}\n`);
    if (report.typeErrors.length > 10) out.write(`  … and ${report.typeErrors.length - 10} more (see the JSON report)\n`);
  }
  if (report.loadError !== undefined) {
    out.write(`${pc.red("FAIL")} the implementation did not load, so none of its ${report.runs.length} runs ran: ${report.loadError}\n`);
    out.write(`0 passed, ${report.runs.length} failed\n`);
    return;
  }
  const failed = report.runs.filter((r) => !r.passed);
  for (const r of failed.slice(0, 20)) out.write(`${pc.red("FAIL")} ${r.test} seed ${r.seed}: ${r.reason}\n     replay: ${replayCommand(r.test, r.seed, implPath, report.race)}\n`);
  if (failed.length > 20) out.write(`… and ${failed.length - 20} more failing runs (see the JSON report)\n`);
  const { hung, crashed } = report.counts;
  const extra = [hung > 0 ? `${hung} hung` : "", crashed > 0 ? `${crashed} crashed` : ""].filter(Boolean).join(", ");
  out.write(`${report.runs.length - failed.length} passed, ${failed.length} failed${extra ? ` (${extra})` : ""}\n`);
}
