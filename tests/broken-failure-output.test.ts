// What a student sees when `make partA` fails: the tester's sentence, the seed and the
// command that replays it, and nothing that points into the harness (no assertion diff, no
// code frame or stack of tests/support), no colour codes in a log, and a closing line that
// agrees with make's exit status. Kept apart from tests/cli.test.ts because the student
// handout leaves out everything that refers to tests/broken/.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ROOT } from "./support/cli.ts";

describe("make partA with a broken Raft", () => {
  it("prints the tester's sentence, the seed and the replay command, and nothing from the harness", () => {
    const impl = "tests/broken/leader-without-majority.ts";
    const r = spawnSync("make", ["-s", "partA"], {
      cwd: ROOT, encoding: "utf8", timeout: 300_000,
      env: { ...process.env, RAFT_IMPL: impl, SEED: "1", CI: "true", NO_COLOR: "", FORCE_COLOR: "" },
    });
    const out = r.stdout + r.stderr;
    expect(r.status, out).not.toBe(0);
    expect(out).toMatch(/FAIL {2}tests\/partA\.test\.ts > TestReElectionPartA\ntester: TestReElectionPartA failed: Election Safety violated: .+\(at \d+ ms\)\n {2}seed 1, trace hash [0-9a-f]{16}; replay: npx raftlab replay TestReElectionPartA --seed 1 --impl tests\/broken\/leader-without-majority\.ts\n/);
    expect(out).not.toMatch(/AssertionError|Expected|Received|expected .* to be/);
    expect(out).not.toMatch(/tests\/support\/|suite\.ts|\n\s+at |❯ .*:\d+:\d+/);
    // CI=true and a pipe: no ANSI escape anywhere.
    expect(out).not.toContain("\u001b[");
    const closing = r.stdout.trim().split("\n").at(-1)!;
    expect(closing).toMatch(/^\d+ passed, [1-9]\d* failed$/);
  });
});
