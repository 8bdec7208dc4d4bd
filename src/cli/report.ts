// Grading reports: per-run results, per-test pass rates, points per part, as JSON (for
// autograders and for merging shards) and JUnit XML (for CI systems).
//
// The scheme (docs/GRADING.md): each part is worth 25 points, split equally among its
// tests; a test earns its share times its pass rate over the graded seeds. 100 in all.
import type { Part } from "../config/index.ts";
import { allTests } from "../../tests/suites/index.ts";

export const SCHEMA = "raftlab-grade/1";
export const POINTS_PER_PART = 25;

export interface RunRecord {
  test: string;
  part: string;
  seed: string;
  passed: boolean;
  reason?: string;
  virtualMs: number;
  wallMs: number;
  rpcs?: number;
  bytes?: number;
}

export interface TestScore {
  test: string;
  part: string;
  runs: number;
  passed: number;
  passRate: number;
  points: number;
  maxPoints: number;
}

export interface GradeReport {
  schema: typeof SCHEMA;
  impl: string;
  seeds: string[];
  shard: { index: number; count: number } | null;
  /** Graded in race mode (go() tasks start a seeded random 0–3 ms late). */
  race: boolean;
  runs: RunRecord[];
  tests: TestScore[];
  parts: Array<{ part: string; points: number; maxPoints: number }>;
  score: number;
  maxScore: number;
}

export function buildReport(impl: string, seeds: string[], shard: GradeReport["shard"], runs: RunRecord[], race = false): GradeReport {
  const parts: Part[] = ["A", "B", "C", "D"];
  const tests: TestScore[] = [];
  for (const part of parts) {
    const defs = allTests.filter((t) => t.part === part);
    for (const def of defs) {
      const rs = runs.filter((r) => r.test === def.name);
      const passed = rs.filter((r) => r.passed).length;
      const maxPoints = POINTS_PER_PART / defs.length;
      const passRate = rs.length === 0 ? 0 : passed / rs.length;
      tests.push({ test: def.name, part, runs: rs.length, passed, passRate, points: maxPoints * passRate, maxPoints });
    }
  }
  // Sums are taken before rounding, so a perfect part is exactly 25.
  const partScores = parts.map((part) => ({
    part,
    points: round2(tests.filter((t) => t.part === part).reduce((a, t) => a + t.points, 0)),
    maxPoints: POINTS_PER_PART,
  }));
  for (const t of tests) {
    t.points = round2(t.points);
    t.maxPoints = round2(t.maxPoints);
  }
  return {
    schema: SCHEMA, impl, seeds, shard, race, runs, tests, parts: partScores,
    score: round2(partScores.reduce((a, p) => a + p.points, 0)),
    maxScore: POINTS_PER_PART * parts.length,
  };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Combines shard reports of one grading run into one report. */
export function mergeReports(reports: GradeReport[]): GradeReport {
  if (reports.length === 0) throw new Error("merge: no reports given");
  for (const r of reports) {
    if (r.schema !== SCHEMA) throw new Error(`merge: a report has schema ${String(r.schema)}, expected ${SCHEMA}`);
  }
  const impl = reports[0]!.impl;
  const mismatched = reports.find((r) => r.impl !== impl);
  if (mismatched) throw new Error(`merge: the reports grade different implementations (${impl} and ${mismatched.impl})`);
  const race = reports[0]!.race === true;
  if (reports.some((r) => (r.race === true) !== race)) throw new Error("merge: some reports were graded in race mode and some not");
  const seen = new Map<string, RunRecord>();
  for (const r of reports) for (const run of r.runs) seen.set(`${run.test}#${run.seed}`, run);
  const count = reports[0]!.shard?.count;
  if (count !== undefined) {
    const have = new Set(reports.map((r) => r.shard?.index));
    const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !have.has(i));
    if (missing.length > 0) throw new Error(`merge: shard(s) ${missing.join(", ")} of ${count} are missing`);
  }
  const seeds = [...new Set(reports.flatMap((r) => r.seeds))].sort((a, b) => Number(a) - Number(b));
  return buildReport(impl, seeds, null, [...seen.values()], race);
}

export function toJUnit(report: GradeReport): string {
  const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  const parts = ["A", "B", "C", "D"];
  const suites = parts.map((part) => {
    const tests = report.tests.filter((t) => t.part === part && t.runs > 0);
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
  const total = report.tests.filter((t) => t.runs > 0);
  const failures = total.filter((t) => t.passed < t.runs).length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="raftlab" tests="${total.length}" failures="${failures}">\n${suites.join("\n")}\n</testsuites>\n`;
}
