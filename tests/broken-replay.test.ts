// A failure seen in `make partC` (here: a broken Raft from tests/broken/) is reproduced by the
// command the failure prints, with the identical trace. Kept apart from tests/cli.test.ts
// because the student handout leaves out everything that refers to tests/broken/.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { raftlab, ROOT } from "./support/cli.ts";

describe("a failure seen in make partC", () => {
  it("is reproduced by the printed command, with the identical trace", () => {
    const impl = join(ROOT, "tests/broken/persist-late.ts");
    const v = spawnSync(join(ROOT, "node_modules/.bin/vitest"), ["run", "tests/partC.test.ts", "-t", "TestFigure8PartC$"], {
      cwd: ROOT, encoding: "utf8", timeout: 300_000,
      env: { ...process.env, RAFT_IMPL: impl, SEED: "2", NO_COLOR: "1" },
    });
    expect(v.status).toBe(1);
    const m = /seed 2, trace hash ([0-9a-f]{16}); replay: npx raftlab (replay TestFigure8PartC --seed 2 --impl \S+)/.exec(v.stdout);
    expect(m, v.stdout).not.toBeNull();
    const r = raftlab(...m![2]!.split(" "));
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`TestFigure8PartC seed 2: FAILED; `);
    expect(r.stdout).toContain(`trace hash ${m![1]}`);
  });
});
