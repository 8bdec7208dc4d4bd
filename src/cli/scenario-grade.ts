// The scenario section of `raftlab grade`: the scenario bank (tests/suites/scenarios.ts) run
// over the same seeds, reported and scored apart from MIT's 100 points (one point per
// scenario, times its pass rate), so MIT's grading scheme is untouched; and the coverage of
// every graded test (which of its declared faults its runs met, src/config/coverage.ts).
import { hollowPassLines, summarizeCoverage, type TestCoverage } from "../config/coverage.ts";
import { replayCommand } from "../config/index.ts";
import { selectTests, UsageError } from "./catalog.ts";
import { pc } from "./colour.ts";
import type { Job, JobResult } from "./job.ts";
import { coverageTable } from "./run.ts";
import { formatTable } from "./table.ts";

export interface ScenarioScore {
  test: string;
  part: string;
  runs: number;
  passed: number;
  passRate: number;
  failures: Array<{ seed: string; reason: string; diagnosis: string[] }>;
}

export interface ScenarioSection {
  /** One point per scenario, times its pass rate; not part of MIT's score. */
  points: number;
  maxPoints: number;
  tests: ScenarioScore[];
  /** Per test (MIT's and the scenarios): the declared faults, and how many runs met each. */
  coverage: TestCoverage[];
}

/** The scenarios a grading run adds: those of the graded parts; none when --test narrows the MIT tests. */
export function scenarioJobs(opts: { part?: string | undefined; test?: string | undefined; race: boolean }, seeds: string[], impl: string): Job[] {
  if (opts.test !== undefined) return [];
  let defs;
  try {
    defs = selectTests({ part: opts.part, scenarios: "only" });
  } catch (e) {
    if (e instanceof UsageError) return []; // no scenario in the graded parts
    throw e;
  }
  return defs.flatMap((t) => seeds.map((seed) => ({ test: t.name, seed, impl, race: opts.race })));
}

/** Scores the scenario runs; `all` (MIT's runs and the scenarios') gives the coverage table. */
export function scenarioSection(scenarioResults: JobResult[], all: JobResult[], order: string[]): ScenarioSection {
  const names = [...new Set(scenarioResults.map((r) => r.name))];
  const tests = names.map((test) => {
    const rs = scenarioResults.filter((r) => r.name === test);
    const passed = rs.filter((r) => r.passed).length;
    return {
      test, part: rs[0]!.part, runs: rs.length, passed, passRate: rs.length === 0 ? 0 : passed / rs.length,
      failures: rs.filter((r) => !r.passed).map((r) => ({ seed: r.seed, reason: r.reason ?? "failed", diagnosis: r.diagnosis ?? [] })),
    };
  });
  const points = Math.round(tests.reduce((a, t) => a + t.passRate, 0) * 100) / 100;
  return { points, maxPoints: tests.length, tests, coverage: summarizeCoverage(all, order) };
}

/** The scenario section of merged shards: runs and passes summed per scenario and per covered test. */
export function mergeScenarioSections(sections: ScenarioSection[]): ScenarioSection {
  const tests = new Map<string, ScenarioScore>();
  const coverage = new Map<string, TestCoverage>();
  for (const sec of sections) {
    for (const t of sec.tests) {
      const m = tests.get(t.test);
      if (m === undefined) tests.set(t.test, { ...t, failures: [...t.failures] });
      else {
        m.runs += t.runs;
        m.passed += t.passed;
        m.failures.push(...t.failures);
      }
    }
    for (const c of sec.coverage) {
      const m = coverage.get(c.test);
      if (m === undefined) coverage.set(c.test, { ...c, faults: c.faults.map((f) => ({ ...f })), hollowPasses: [...c.hollowPasses] });
      else {
        m.runs += c.runs;
        for (const f of c.faults) {
          const mf = m.faults.find((x) => x.fault === f.fault);
          if (mf === undefined) m.faults.push({ ...f });
          else mf.met += f.met;
        }
        m.hollowPasses.push(...c.hollowPasses);
      }
    }
  }
  const list = [...tests.values()].map((t) => ({ ...t, passRate: t.runs === 0 ? 0 : t.passed / t.runs }));
  const points = Math.round(list.reduce((a, t) => a + t.passRate, 0) * 100) / 100;
  return { points, maxPoints: list.length, tests: list, coverage: [...coverage.values()] };
}

export function printScenarioSection(s: ScenarioSection, implPath: string, race: boolean): void {
  const out = process.stdout;
  if (s.coverage.length > 0) out.write(`\ncoverage (what each test exists to exercise, and in how many runs it happened):\n${coverageTable(s.coverage)}\n`);
  for (const line of hollowPassLines(s.coverage)) out.write(`${pc.yellow("NOTE")} ${line}\n`);
  if (s.tests.length === 0) return;
  out.write(`\nscenarios beyond MIT (docs/SCENARIOS.md; not part of MIT's score):\n${formatTable(["scenario", "runs", "passed", "pass rate"],
    s.tests.map((t) => [t.test, t.runs, t.passed, `${(t.passRate * 100).toFixed(0)}%`]))}\n`);
  out.write(`${pc.bold(`scenarios: ${s.points} / ${s.maxPoints}`)}\n`);
  for (const t of s.tests) {
    for (const f of t.failures.slice(0, 3)) {
      out.write(`${pc.red("FAIL")} ${t.test} seed ${f.seed}: ${f.reason}\n${f.diagnosis.map((l) => `     ${l}\n`).join("")}     replay: ${replayCommand(t.test, f.seed, implPath, race)}\n`);
    }
  }
}
