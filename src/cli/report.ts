// Grading reports: per-run results, per-test pass rates, points per part, as JSON (for
// autograders and for merging shards) and JUnit XML (for CI systems).
//
// The scheme (docs/GRADING.md): each part is worth 25 points, split equally among its
// tests; a test earns its share times its pass rate over the graded seeds. 100 in all.
import { allTests } from "../../tests/suites/index.ts";
import { PARTS } from "./catalog.ts";
import { mergeScenarioSections, type ScenarioSection } from "./scenario-grade.ts";

export const SCHEMA = "raftlab-grade/2";
export const POINTS_PER_PART = 25;

/** How a run ended: the tester's verdict, or stopped as hung, or its worker died. */
export type Outcome = "passed" | "failed" | "hung" | "crashed";

export interface RunRecord {
  test: string;
  part: string;
  seed: string;
  passed: boolean;
  outcome: Outcome;
  reason?: string;
  virtualMs: number;
  wallMs: number;
  rpcs?: number;
  bytes?: number;
  /** Failures: the diagnosis lines (src/config/diagnosis.ts). */
  diagnosis?: string[];
}

export interface TestScore {
  test: string;
  part: string;
  /** False for a test left out by --part or --test: it neither earns nor costs points. */
  graded: boolean;
  runs: number;
  passed: number;
  passRate: number;
  points: number;
  maxPoints: number;
}

export interface PartScore {
  part: string;
  graded: boolean;
  /** Points earned, out of maxPoints: the share of the part's tests that were graded. */
  points: number;
  maxPoints: number;
}

/** What a grading run was asked to do: shards of one run agree on all of it. */
export interface GradeSettings {
  /** The submission as given (a repository, its src/raft, or one file). */
  impl: string;
  /** Its module exporting Make (what a replay command names). */
  entry: string;
  /** The course harness that graded it: package version and a hash of the harness sources. */
  harness: string;
  /** The tests graded (all 28, or those chosen by --part/--test). */
  graded: string[];
  base: string;
  /** Seeds in the whole run; a shard grades a slice of them. */
  seedCount: number;
  race: boolean;
}

export interface GradeReport extends GradeSettings {
  schema: typeof SCHEMA;
  /** The seeds this report covers. */
  seeds: string[];
  shard: { index: number; count: number } | null;
  /** The submission's type errors (they cost no points: docs/GRADING.md). */
  typeErrors: string[];
  /** Why the submission could not be loaded, said once; then every run failed without running. */
  loadError?: string;
  runs: RunRecord[];
  counts: Record<Outcome, number>;
  tests: TestScore[];
  parts: PartScore[];
  score: number;
  maxScore: number;
  /** The highest resident memory of a worker process (MB), when it was measured. */
  peakWorkerMb?: number;
  /** The scenario bank's runs, scored apart from MIT's points, and every test's coverage (scenario-grade.ts). */
  scenarios?: ScenarioSection;
}

export interface ReportExtras {
  typeErrors?: string[];
  loadError?: string;
  peakWorkerMb?: number;
}

export function buildReport(settings: GradeSettings, seeds: string[], shard: GradeReport["shard"], runs: RunRecord[], extras: ReportExtras = {}): GradeReport {
  const graded = new Set(settings.graded);
  const tests: TestScore[] = [];
  for (const part of PARTS) {
    const defs = allTests.filter((t) => t.part === part);
    for (const def of defs) {
      const rs = runs.filter((r) => r.test === def.name);
      const passed = rs.filter((r) => r.passed).length;
      const maxPoints = POINTS_PER_PART / defs.length;
      const passRate = rs.length === 0 ? 0 : passed / rs.length;
      tests.push({ test: def.name, part, graded: graded.has(def.name), runs: rs.length, passed, passRate, points: maxPoints * passRate, maxPoints });
    }
  }
  // Sums are taken before rounding, so a perfect part is exactly 25.
  const partScores: PartScore[] = PARTS.map((part) => {
    const ts = tests.filter((t) => t.part === part && t.graded);
    return {
      part, graded: ts.length > 0,
      points: round2(ts.reduce((a, t) => a + t.points, 0)),
      maxPoints: round2(ts.reduce((a, t) => a + t.maxPoints, 0)),
    };
  });
  for (const t of tests) {
    t.points = round2(t.points);
    t.maxPoints = round2(t.maxPoints);
  }
  const counts: Record<Outcome, number> = { passed: 0, failed: 0, hung: 0, crashed: 0 };
  for (const r of runs) counts[r.outcome]++;
  return {
    schema: SCHEMA, ...settings, seeds, shard,
    typeErrors: extras.typeErrors ?? [],
    ...(extras.loadError !== undefined ? { loadError: extras.loadError } : {}),
    runs, counts, tests, parts: partScores,
    score: round2(partScores.reduce((a, p) => a + p.points, 0)),
    maxScore: round2(partScores.reduce((a, p) => a + p.maxPoints, 0)),
    ...(extras.peakWorkerMb !== undefined ? { peakWorkerMb: Math.round(extras.peakWorkerMb) } : {}),
  };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Shard i of N takes a contiguous slice of the seed list. */
export function shardSeeds(seeds: string[], shard: { index: number; count: number } | null): string[] {
  if (shard === null) return seeds;
  const lo = Math.floor((shard.index * seeds.length) / shard.count);
  const hi = Math.floor(((shard.index + 1) * seeds.length) / shard.count);
  return seeds.slice(lo, hi);
}

/** The run's whole seed list, from its base and count. */
export function allSeeds(s: Pick<GradeSettings, "base" | "seedCount">): string[] {
  return Array.from({ length: s.seedCount }, (_, i) => String(Number(s.base) + i));
}

const OUTCOMES: readonly Outcome[] = ["passed", "failed", "hung", "crashed"];

/**
 * Checks that a parsed file is a grade report whose runs are whole: one sentence naming the
 * file and what is wrong, or undefined.
 */
export function reportProblem(r: unknown, name: string): string | undefined {
  if (r === null || typeof r !== "object" || Array.isArray(r)) return `${name} is not a raftlab grade report (it holds ${r === null ? "null" : Array.isArray(r) ? "a list" : typeof r})`;
  const g = r as Partial<GradeReport> & { schema?: unknown };
  if (g.schema !== SCHEMA) return `${name} is not a ${SCHEMA} report (its schema is ${JSON.stringify(g.schema ?? null)}); grade it again with this raftlab`;
  if (typeof g.impl !== "string" || typeof g.harness !== "string" || typeof g.base !== "string" || typeof g.seedCount !== "number" || !Array.isArray(g.graded) || !Array.isArray(g.seeds) || !Array.isArray(g.runs) || typeof g.race !== "boolean") {
    return `${name} is missing fields of a ${SCHEMA} report (impl, harness, graded, base, seedCount, seeds, runs, race)`;
  }
  const known = new Set(allTests.map((t) => t.name));
  const unknown = g.graded.find((t) => !known.has(t));
  if (unknown !== undefined) return `${name} grades an unknown test, ${JSON.stringify(unknown)}`;
  const seeds = new Set(g.seeds);
  const graded = new Set(g.graded);
  const seen = new Set<string>();
  for (const [i, run] of (g.runs as unknown[]).entries()) {
    const x = run as Partial<RunRecord> | null;
    const bad = (why: string): string => `${name}: run ${i + 1} is corrupt (${why})`;
    if (x === null || typeof x !== "object") return bad("not an object");
    if (typeof x.test !== "string" || !known.has(x.test)) return bad(`unknown test ${JSON.stringify(x.test ?? null)}`);
    if (!graded.has(x.test)) return bad(`${x.test} is not among the report's graded tests`);
    if (typeof x.seed !== "string" || !seeds.has(x.seed)) return bad(`seed ${JSON.stringify(x.seed ?? null)} is not one of the report's seeds`);
    if (typeof x.passed !== "boolean" || !OUTCOMES.includes(x.outcome as Outcome) || x.passed !== (x.outcome === "passed")) return bad("its passed flag and outcome disagree or are missing");
    if (typeof x.virtualMs !== "number" || typeof x.wallMs !== "number") return bad("no virtual or wall time");
    if (x.passed && (typeof x.rpcs !== "number" || typeof x.bytes !== "number")) return bad("a passed run without the tester's Passed-line figures");
    const key = `${x.test}#${x.seed}`;
    if (seen.has(key)) return bad(`${x.test} seed ${x.seed} appears twice`);
    seen.add(key);
  }
  const expected = g.graded.length * g.seeds.length;
  if (seen.size !== expected) return `${name} is incomplete: ${seen.size} runs for ${g.graded.length} tests × ${g.seeds.length} seeds (${expected})`;
  return undefined;
}

/**
 * Combines the shard reports of one grading run into one report. Refuses, with one sentence,
 * anything that does not belong together: a shard given twice, shards of different runs
 * (implementation, harness, tests, seeds, base, shard count, race mode), or missing shards.
 * `names` are the files the reports came from, for the sentences.
 */
export function mergeReports(reports: GradeReport[], names: string[] = reports.map((_, i) => `report ${i + 1}`)): GradeReport {
  if (reports.length === 0) throw new Error("merge: no reports given");
  for (const [i, r] of reports.entries()) {
    const p = reportProblem(r, names[i]!);
    if (p !== undefined) throw new Error(`merge: ${p}`);
  }
  const first = reports[0]!;
  const n0 = names[0]!;
  const same = (what: string, f: (r: GradeReport) => unknown): void => {
    const v = JSON.stringify(f(first));
    const i = reports.findIndex((r) => JSON.stringify(f(r)) !== v);
    if (i >= 0) throw new Error(`merge: ${names[i]} and ${n0} are not shards of one grading run: their ${what} differ (${JSON.stringify(f(reports[i]!))} and ${v})`);
  };
  same("submissions", (r) => r.impl);
  same("harness versions", (r) => r.harness);
  same("graded tests (parts)", (r) => r.graded);
  same("first seeds (--base)", (r) => r.base);
  same("seed counts (--seeds)", (r) => r.seedCount);
  same("race modes", (r) => r.race);
  same("shard counts", (r) => r.shard?.count ?? null);
  const count = first.shard?.count;
  if (count === undefined) {
    if (reports.length > 1) throw new Error(`merge: ${n0} is not a shard (graded without --shard); merge combines the shards of one run`);
    return first;
  }
  const byIndex = new Map<number, string>();
  for (const [i, r] of reports.entries()) {
    const index = r.shard!.index;
    const before = byIndex.get(index);
    if (before !== undefined) throw new Error(`merge: shard ${index} of ${count} is given twice (${before} and ${names[i]})`);
    byIndex.set(index, names[i]!);
    const want = shardSeeds(allSeeds(r), r.shard);
    if (JSON.stringify(want) !== JSON.stringify(r.seeds)) throw new Error(`merge: ${names[i]} says it is shard ${index} of ${count} but holds other seeds than that shard's`);
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length > 0) throw new Error(`merge: shard(s) ${missing.join(", ")} of ${count} are missing`);
  const runs = reports.flatMap((r) => r.runs);
  const loadError = reports.find((r) => r.loadError !== undefined)?.loadError;
  const peaks = reports.map((r) => r.peakWorkerMb).filter((x): x is number => x !== undefined);
  const settings: GradeSettings = { impl: first.impl, entry: first.entry, harness: first.harness, graded: first.graded, base: first.base, seedCount: first.seedCount, race: first.race };
  const merged = buildReport(settings, allSeeds(first), null, runs, {
    typeErrors: first.typeErrors,
    ...(loadError !== undefined ? { loadError } : {}),
    ...(peaks.length > 0 ? { peakWorkerMb: Math.max(...peaks) } : {}),
  });
  const sections = reports.map((r) => r.scenarios).filter((x): x is ScenarioSection => x !== undefined);
  if (sections.length !== 0 && sections.length !== reports.length) throw new Error("merge: some shards have a scenario section and some do not: they are not shards of one grading run");
  if (sections.length > 0) merged.scenarios = mergeScenarioSections(sections);
  return merged;
}

export function toJUnit(report: GradeReport): string {
  const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  const suites = PARTS.filter((part) => report.parts.find((p) => p.part === part)?.graded).map((part) => {
    const tests = report.tests.filter((t) => t.part === part && t.graded);
    const failures = tests.filter((t) => t.passed < t.runs).length;
    const time = report.runs.filter((r) => r.part === part).reduce((a, r) => a + r.wallMs, 0) / 1000;
    const cases = tests.map((t) => {
      const runs = report.runs.filter((r) => r.test === t.test);
      const secs = runs.reduce((a, r) => a + r.wallMs, 0) / 1000;
      const failed = runs.filter((r) => !r.passed);
      const body = failed.length === 0 ? "" :
        `\n      <failure message="${esc(`${failed.length} of ${t.runs} seeds failed`)}">${esc(failed.map((r) => `seed ${r.seed}: ${r.reason ?? "failed"}`).join("\n"))}</failure>\n    `;
      return `    <testcase classname="raftlab.Part${part}" name="${t.test}" time="${secs.toFixed(3)}">${body}</testcase>`;
    });
    return `  <testsuite name="Part${part}" tests="${tests.length}" failures="${failures}" time="${time.toFixed(3)}">\n${cases.join("\n")}\n  </testsuite>`;
  });
  const total = report.tests.filter((t) => t.graded);
  const failures = total.filter((t) => t.passed < t.runs).length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="raftlab" tests="${total.length}" failures="${failures}">\n${suites.join("\n")}\n</testsuites>\n`;
}
