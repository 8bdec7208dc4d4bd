// How values appear in failure texts: JavaScript as JavaScript (fmtV) in this lab's own
// messages, Go's %v (goV) only inside MIT's verbatim texts.
import { describe, expect, it } from "vitest";
import { fmtV, goV, runTest } from "../src/config/index.ts";
import type { Raft, RaftModule } from "../src/raft/api.ts";
import { TestBasicAgreePartB, TestInitialElectionPartA } from "./suites/index.ts";

describe("fmtV shows JavaScript values as JavaScript", () => {
  it.each([
    [["-1", 0, false], '["-1", 0, false]'],
    [["1", 1], '["1", 1]'],
    ["5", '"5"'],
    [5, "5"],
    [-0, "-0"],
    [null, "null"],
    [undefined, "undefined"],
    [{ term: 0, isLeader: false }, "{ term: 0, isLeader: false }"],
    [{ "a-b": [1, "x"] }, '{ "a-b": [1, "x"] }'],
    [new Uint8Array([1, 2]), "Uint8Array(2) [1, 2]"],
    [10n, "10n"],
    [Array.from({ length: 14 }, (_, i) => i), "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, … 2 more]"],
    ["x".repeat(100), `"${"x".repeat(60)}"… (100 characters)`],
    [Promise.resolve(1), "a Promise (this method must not be async: return the value itself)"],
  ])("case %#", (v, shown) => {
    expect(fmtV(v)).toBe(shown);
  });

  it("goV is Go's %v, for MIT's verbatim texts", () => {
    expect(goV([100, 101, 102])).toBe("[100 101 102]");
    expect(goV(null)).toBe("<nil>");
    expect(goV(7)).toBe("7");
  });
});

/** A Raft that never leads, with Start or GetState replaced. */
function impl(overrides: Partial<Raft>): RaftModule {
  return { Make: () => ({ Start: () => [-1, 0, false], GetState: () => [0, false], Snapshot: () => {}, Kill: () => {}, ...overrides }) };
}

describe("the tester's messages show what the implementation returned, types included", () => {
  it("Start() returning a string index", async () => {
    const r = await runTest(TestBasicAgreePartB, { seed: 1, impl: impl({ Start: (() => ["-1", 0, false]) as unknown as Raft["Start"] }) });
    expect(r.reason).toMatch(/^Start\(\) of peer \d returned \["-1", 0, false\], not \[index, term, isLeader\]/);
  });

  it("GetState() returning a string term", async () => {
    const r = await runTest(TestInitialElectionPartA, { seed: 1, impl: impl({ GetState: (() => ["1", 1]) as unknown as Raft["GetState"] }) });
    expect(r.reason).toMatch(/^GetState\(\) of peer 0 returned \["1", 1\], not \[term: number, isLeader: boolean\]/);
  });

  it("MIT's own texts keep Go's %v", async () => {
    const r = await runTest(TestBasicAgreePartB, { seed: 1, impl: impl({}) });
    expect(r.reason).toBe("one(100) failed to reach agreement (at 10000 ms)");
  });
});
