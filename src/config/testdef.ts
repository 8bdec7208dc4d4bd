// One definition per test: a test is a name, a part and an async body. The same definition
// is run by vitest (`make partA`) and by the CLI (many seeds, replay, grading).
import type { RaftModule } from "../raft/api.ts";

export type Part = "A" | "B" | "C" | "D";

export interface TestContext {
  readonly name: string;
  readonly seed: string;
  /** The implementation under test. */
  readonly impl: RaftModule;
  /** Prints a line of the test's output (begin/Passed lines, warnings). */
  print(line: string): void;
  /** Registers work for the end of the test, run whether it passed or failed (Go's defer). */
  defer(fn: () => void): void;
}

export interface TestDef {
  readonly name: string;
  readonly part: Part;
  readonly body: (t: TestContext) => Promise<void>;
}

export function defineTest(part: Part, name: string, body: (t: TestContext) => Promise<void>): TestDef {
  if (!/^Test\w+Part[A-D]$/.test(name) || !name.endsWith(`Part${part}`)) {
    throw new Error(`defineTest: "${name}" must be named Test…Part${part}`);
  }
  return { name, part, body };
}
