// Runs a list of test definitions under vitest: one vitest test per MIT test, each in a
// fresh simulated world inside a worker thread with a wall-clock watchdog, so that even an
// implementation stuck in a synchronous infinite loop is reported (and the other tests still
// run) instead of hanging the suite. SEED=<n> fixes the seed; otherwise one is drawn per file
// and printed, and any failure prints its seed and the command that replays it exactly.
// RAFTLAB_RACE=1 runs in race mode (go() tasks start a seeded random 0–3 ms late).
import { randomInt } from "node:crypto";
import { afterAll, expect, test } from "vitest";
import { passedLine, type TestDef } from "../../src/config/index.ts";
import { DEFAULT_WATCHDOG_MS, JobPool } from "../../src/cli/pool.ts";

export function baseSeed(): string {
  const fromEnv = process.env.SEED;
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  return String(randomInt(1, 2 ** 31));
}

export function runSuite(defs: readonly TestDef[]): void {
  const seed = baseSeed();
  const impl = process.env.RAFT_IMPL ?? "";
  const race = process.env.RAFTLAB_RACE === "1";
  const watchdogS = Number(process.env.RAFTLAB_WATCHDOG_S ?? DEFAULT_WATCHDOG_MS / 1000);
  let pool: JobPool | undefined;
  afterAll(async () => {
    await pool?.close();
  });
  for (const def of defs) {
    test(def.name, async () => {
      pool ??= new JobPool({ workers: 1, watchdogMs: watchdogS * 1000 });
      const result = await pool.run({ test: def.name, seed, impl, race });
      const lines = [...result.output];
      if (result.figures !== undefined && result.passed) lines.push(passedLine(result.figures, result.wallMs));
      if (!result.passed && result.output.length === 0) lines.push(`--- FAIL: ${result.error ?? result.reason}`);
      console.log(`${lines.join("\n")}\n  (seed ${seed}${race ? ", race mode" : ""})`);
      expect(result.passed, result.error ?? result.reason).toBe(true);
    });
  }
}
