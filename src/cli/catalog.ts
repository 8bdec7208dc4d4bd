// Which tests a command runs: by part, by name pattern, or by exact name.
import type { Part, TestDef } from "../config/index.ts";
import { allTests, findTests } from "../../tests/suites/index.ts";
import { scenarios } from "../../tests/suites/scenarios.ts";

/** Every test a job can name: MIT's 28, then the scripted scenarios (not graded). */
export const runnableTests = [...allTests, ...scenarios];

export const PARTS: readonly Part[] = ["A", "B", "C", "D"];

export function parsePart(s: string): Part {
  const p = s.toUpperCase().replace(/^PART/, "");
  if (p === "A" || p === "B" || p === "C" || p === "D") return p;
  throw new UsageError(`unknown part "${s}": expected A, B, C or D`);
}

/**
 * The tests a command runs, in file order: MIT's 28 (unless `scenarios` is "only"), then,
 * with `scenarios`, the scenario bank (tests/suites/scenarios.ts); --part and --test narrow
 * both. MIT's 28 are selected exactly as before when `scenarios` is not given.
 */
export function selectTests(opts: { part?: string | undefined; test?: string | undefined; scenarios?: boolean | "only" | undefined }): TestDef[] {
  const pool: TestDef[] = opts.scenarios === "only" ? [...scenarios] : opts.scenarios === true ? [...runnableTests] : [...allTests];
  let tests: TestDef[] = pool;
  if (opts.part !== undefined) {
    const parts = opts.part.split(",").map(parsePart);
    tests = tests.filter((t) => parts.includes(t.part));
  }
  if (opts.test !== undefined) {
    let re: RegExp;
    try {
      re = new RegExp(opts.test);
    } catch (e) {
      throw new UsageError(`--test ${opts.test}: not a valid regular expression (${(e as Error).message})`);
    }
    const matching = new Set([...findTests(re), ...scenarios.filter((t) => {
      re.lastIndex = 0;
      return re.test(t.name);
    })]);
    tests = tests.filter((t) => matching.has(t));
  }
  if (tests.length === 0) throw new UsageError(`no test matches${opts.part ? ` part ${opts.part}` : ""}${opts.test ? ` /${opts.test}/` : ""}; see \`raftlab list\``);
  return tests;
}

/** Whether a test is one of the scenarios (scored apart from MIT's 100 points). */
export function isScenario(name: string): boolean {
  return scenarios.some((t) => t.name === name);
}

export function findTest(name: string): TestDef {
  const def = runnableTests.find((t) => t.name === name);
  if (def !== undefined) return def;
  const close = runnableTests.filter((t) => t.name.toLowerCase().includes(name.toLowerCase().replace(/^test/, "")));
  const hint = close.length > 0 ? ` Did you mean ${close.slice(0, 3).map((t) => t.name).join(", ")}?` : " Run `raftlab list` to see the 28 names.";
  throw new UsageError(`unknown test "${name}".${hint}`);
}

/** A mistake in what the user typed: printed as one line, exit status 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
