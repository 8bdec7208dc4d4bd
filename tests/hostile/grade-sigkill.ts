// Sends SIGKILL to its own process (the worker). Expected: that worker dies; the run fails with
// a sentence naming SIGKILL; grading goes on with a fresh worker; the report is complete.
import type { MakeFn } from "../../src/raft/api.ts";

export const Make: MakeFn = () => {
  process.kill(process.pid, "SIGKILL");
  for (;;) {
    // wait for the signal
  }
};
