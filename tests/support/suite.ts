// Runs a list of test definitions under vitest: one vitest test per MIT test, each in a
// fresh simulated world. SEED=<n> fixes the seed; otherwise one is drawn per file and
// printed, and any failure prints its seed and the command that replays it exactly.
import { randomInt } from "node:crypto";
import { performance } from "node:perf_hooks";
import { expect, test } from "vitest";
import { loadImpl, passedLine, runTest, type TestDef } from "../../src/config/index.ts";

export function baseSeed(): string {
  const fromEnv = process.env.SEED;
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  return String(randomInt(1, 2 ** 31));
}

export function runSuite(defs: readonly TestDef[]): void {
  const seed = baseSeed();
  for (const def of defs) {
    test(def.name, async () => {
      const impl = await loadImpl();
      const start = performance.now();
      const lines: string[] = [];
      const result = await runTest(def, { seed, impl, implPath: process.env.RAFT_IMPL ?? "", print: (l) => lines.push(l) });
      const wall = performance.now() - start;
      if (result.figures !== undefined && result.passed) lines.push(passedLine(result.figures, wall));
      console.log(`${lines.join("\n")}\n  (seed ${seed})`);
      expect(result.passed, result.error).toBe(true);
    });
  }
}
