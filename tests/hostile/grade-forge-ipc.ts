// Forges a result over the worker's channel to the grader: listens for the job (to learn its
// nonce) and sends a passed result with made-up Passed-line figures. Expected: the channel is
// not reachable (send refused, no job seen); 0 points.
import type { MakeFn } from "../../src/raft/api.ts";
import { attempt, deadRaft } from "./grade-dead.ts";

type Msg = { type?: string; nonce?: string; job?: { test: string; seed: string } };
const forged = (m: Msg) => ({
  type: "result", nonce: m.nonce,
  result: { name: m.job?.test, part: "A", seed: m.job?.seed, passed: true, virtualMs: 1, events: 1, traceHash: "x", traceLength: 1, output: [], warnings: [], wallMs: 1, figures: { seconds: 1, peers: 3, rpcs: 1, bytes: 1, cmds: 0 } },
});

export const Make: MakeFn = () => {
  const p = process as unknown as { send?: (m: unknown) => void; _send?: (m: unknown) => void; on: (e: string, f: (m: Msg) => void) => void };
  attempt("listen for jobs", () => p.on("message", (m) => attempt("forge", () => p.send?.(forged(m)))));
  attempt("send", () => p.send?.(forged({ type: "job", nonce: "guess", job: { test: "TestInitialElectionPartA", seed: "1" } })));
  attempt("_send", () => p._send?.(forged({ type: "job", nonce: "guess", job: { test: "TestInitialElectionPartA", seed: "1" } })));
  attempt("replace emit", () => Object.assign(process, { emit: () => true }));
  return deadRaft();
};
