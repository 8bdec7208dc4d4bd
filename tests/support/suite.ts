// Runs a list of test definitions under vitest: one vitest test per MIT test, each in a
// fresh simulated world inside a worker thread with a wall-clock watchdog, so that even an
// implementation stuck in a synchronous infinite loop is reported (and the other tests still
// run) instead of hanging the suite. SEED=<n> fixes the seed (vitest.config.ts refuses one
// that is not an integer before anything runs); otherwise one is drawn per file and printed,
// and any failure prints its seed and the command that replays it exactly.
// RAFTLAB_RACE=1 runs in heavy (race) mode (go() tasks also start a seeded random 0–5 ms late).
import { randomInt } from "node:crypto";
import { afterAll, test } from "vitest";
import { passedLine, type TestDef } from "../../src/config/index.ts";
import { envSeed, parseCount } from "../../src/cli/args.ts";
import { DEFAULT_WATCHDOG_MS, JobPool } from "../../src/cli/pool.ts";

export function baseSeed(): string {
  return envSeed() ?? String(randomInt(1, 2 ** 31));
}

/**
 * A failing MIT test, as vitest shows it: the tester's sentence, the seed and the replay
 * command, and nothing that points into the harness (no assertion diff, no code frame of this
 * file: the stack is the message itself).
 */
export class TesterFailure extends Error {
  override name = "tester";
  constructor(message: string) {
    super(message);
    this.stack = message;
  }
}

export function runSuite(defs: readonly TestDef[]): void {
  const seed = baseSeed();
  const impl = process.env.RAFT_IMPL ?? "";
  const race = process.env.RAFTLAB_RACE === "1";
  const watchdogS = process.env.RAFTLAB_WATCHDOG_S ? parseCount("RAFTLAB_WATCHDOG_S=", process.env.RAFTLAB_WATCHDOG_S) : DEFAULT_WATCHDOG_MS / 1000;
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
      console.log(`${lines.join("\n")}\n  (seed ${seed}${race ? ", heavy (race) mode" : ""})`);
      if (!result.passed) throw new TesterFailure(result.error ?? result.reason ?? `${def.name} failed`);
    });
  }
}
