// Attack: import Node's worker_threads module (to write the report, start a detached child, open a
// socket or a thread that outlives the grader).
// Expected: the submission does not load, with one sentence naming the module.
import * as mod from "node:worker_threads";
import type { Raft } from "../../src/raft/api.ts";

export const reached = typeof mod;

export function Make(): Raft {
  return { Start: () => [-1, 0, false], GetState: () => [0, false], Snapshot: () => {}, Kill: () => {} };
}
