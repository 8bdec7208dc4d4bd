// The closing line (tests/support/summary-reporter.ts) never contradicts vitest's exit status:
// each probe file in tests/fixtures/vitest is run by vitest as `make test` runs the suite.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./support/cli.ts";

const PROBES = join(ROOT, "tests/fixtures/vitest");

function probe(file: string, ...args: string[]): { status: number; last: string; out: string } {
  const r = spawnSync(join(ROOT, "node_modules/.bin/vitest"), ["run", "--config", join(PROBES, "vitest.config.ts"), "--root", PROBES, file, ...args], {
    cwd: PROBES, encoding: "utf8", timeout: 120_000, env: { ...process.env, NO_COLOR: "1" },
  });
  const out = r.stdout + r.stderr;
  const lines = r.stdout.trim().split("\n");
  return { status: r.status ?? -1, last: lines[lines.length - 1] ?? "", out };
}

describe("the closing line agrees with the exit status", () => {
  it.each([
    ["load-error.probe.ts", 1, "0 passed, 1 failed (0 tests, 1 error outside tests)"],
    ["hook-throws.probe.ts", 1, "0 passed, 2 failed"],
    ["worker-killed.probe.ts", 1, "0 passed, 3 failed (2 tests, 1 error outside tests)"],
    ["skipped-with-note.probe.ts", 0, "1 passed, 0 failed, 1 skipped (no such tool: install it with `apt-get install such-tool`)"],
  ])("%s", (file, status, line) => {
    const r = probe(file);
    expect(r.status, r.out).toBe(status);
    expect(r.last).toBe(line);
  });

  it("a test left out by -t is skipped, not failed, beside a failing one", () => {
    const r = probe("filtered.probe.ts", "-t", "^fails$");
    expect(r.status).toBe(1);
    expect(r.last).toBe("0 passed, 1 failed, 1 skipped");
  });
});
