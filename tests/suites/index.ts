// The 28 MIT Raft tests, PartA–PartD, in MIT's file order. Each is defined once here and run
// by vitest (tests/partX.test.ts) and by the CLI.
import type { TestDef } from "../../src/config/index.ts";
import { partA } from "./partA.ts";
import { partB } from "./partB.ts";
import { partC } from "./partC.ts";
import { partD } from "./partD.ts";

export { partA, partB, partC, partD };
export * from "./partA.ts";
export * from "./partB.ts";
export * from "./partC.ts";
export * from "./partD.ts";

/** All 28 tests in file order (PartA, then B, C, D). */
export const allTests: readonly TestDef[] = [...partA, ...partB, ...partC, ...partD];

/**
 * The tests whose name matches `pattern`, in file order, like `go test -run`: a string is
 * a regular expression matched anywhere in the name ("PartB", "Figure8", "^TestBackupPartB$").
 */
export function findTests(pattern: RegExp | string): TestDef[] {
  const re = typeof pattern === "string" ? new RegExp(pattern) : pattern;
  return allTests.filter((def) => {
    re.lastIndex = 0; // a /g or /y pattern keeps state between test() calls
    return re.test(def.name);
  });
}
