// make partX refuses platform clocks, timers and randomness in src/raft before it runs, the
// way a compiler refuses (graded submissions run confined, where each fails its run).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { typecheckRaftFolder } from "../src/cli/typecheck.ts";

describe("the platform scan of make partX", () => {
  it("names each use of Math.random, Date, performance.now and the timers, with what to use instead", async () => {
    const dir = mkdtempSync(join(tmpdir(), "raftlab-scan-"));
    writeFileSync(join(dir, "raft.ts"), [
      "// Math.random and Date.now in a comment are fine",
      "export const a = Math.random();",
      "export const b = Date.now();",
      "export const c = new Date();",
      "export const d = performance.now();",
      "setTimeout(() => {}, 10);",
      "export const s = 'setInterval(f) in a string is fine';",
      "",
    ].join("\n"));
    const r = await typecheckRaftFolder(dir);
    const lines = r.errors.filter((e) => e.includes("raftlab:"));
    expect(lines.map((l) => l.replace(/^.*raft\.ts/, "raft.ts"))).toEqual([
      "raft.ts(2,18): raftlab: Math.random is not available to a Raft: use rng(name) or randomInt(lo, hi) from src/sim (seeded, so that a run replays exactly)",
      "raft.ts(3,18): raftlab: Date.now is not available to a Raft: use now() from src/sim (virtual time), so that a run replays exactly",
      "raft.ts(4,18): raftlab: Date is not available to a Raft: use now() from src/sim (virtual time), so that a run replays exactly",
      "raft.ts(5,18): raftlab: performance.now is not available to a Raft: use now() from src/sim (virtual time), so that a run replays exactly",
      "raft.ts(6,1): raftlab: setTimeout is not available to a Raft: use await sleep(ms) and go(name, fn) from src/sim",
    ]);
  });

  it("finds nothing in the reference Raft", async () => {
    const r = await typecheckRaftFolder();
    expect(r.errors).toEqual([]);
  });
});
