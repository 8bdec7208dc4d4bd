import { defineConfig } from "vitest/config";
import { UsageError } from "./src/cli/catalog.ts";
import { envSeed, parseCount } from "./src/cli/args.ts";

// What `make partA` … reads from the environment is checked here, before any test file is
// loaded: a bad SEED gets one sentence and exit status 2, as a bad --seed does in raftlab.
try {
  envSeed();
  if (process.env.RAFTLAB_WATCHDOG_S) parseCount("RAFTLAB_WATCHDOG_S=", process.env.RAFTLAB_WATCHDOG_S);
} catch (e) {
  if (!(e instanceof UsageError)) throw e;
  process.stderr.write(`raftlab: ${e.message}\n`);
  process.exit(2);
}

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // Tests run in virtual time; this is only the runner's own guard against a hung worker.
    testTimeout: 15 * 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    reporters: ["default", "./tests/support/summary-reporter.ts"],
  },
});
