// Sends SIGTERM to its own process (the worker). Expected: that worker dies; the run fails with
// a sentence naming SIGTERM; grading goes on with a fresh worker; the report is complete.
import type { MakeFn } from "../../src/raft/api.ts";

export const Make: MakeFn = () => {
  process.kill(process.pid, "SIGTERM");
  for (;;) {
    // wait for the signal
  }
};
