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
  /** Counts a non-failing warning of a kind (first occurrence kept); the runner reports them. */
  warning(kind: WarningKind, first: string): void;
}

/** Things MIT's harness tolerates that a careful Raft avoids; reported, never failed. */
export type WarningKind = "zombie-rpc" | "zombie-apply";

export interface RunWarning {
  kind: WarningKind;
  count: number;
  /** The first occurrence: who did what, when. */
  first: string;
  /** One line for the test's output. */
  message: string;
}

/** The sentence for a warning kind, its count and its first occurrence. */
export function warningMessage(kind: WarningKind, count: number, first: string): string {
  const what = kind === "zombie-rpc" ? `${count} RPC${count === 1 ? "" : "s"} sent by killed instances` : `${count} ApplyMsg${count === 1 ? "" : "s"} sent by killed instances`;
  return `warning: ${what} (first: ${first}); MIT's harness drops and checks them too, but a killed Raft should stop: check killed() after every await`;
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
