// Attack: patch what the lab API exports: replace sleep, Channel.prototype.send and the
// namespace's bindings, hoping the tester shares them. Then do nothing.
// Expected: the bindings are frozen (the attempt throws, caught here) and the tester, which
// never uses the submission's copies, fails the run with its own message.
import * as sim from "../../src/sim/index.ts";
import type { Raft } from "../../src/raft/api.ts";

export const attempts: string[] = [];

function attempt(what: string, fn: () => void): void {
  try {
    fn();
    attempts.push(`${what}: done`);
  } catch (e) {
    attempts.push(`${what}: ${(e as Error).message}`);
  }
}

attempt("sim.sleep", () => {
  Object.defineProperty(sim, "sleep", { value: async () => {} });
});
attempt("Channel.prototype.send", () => {
  sim.Channel.prototype.send = async () => {};
});
attempt("Object.prototype", () => {
  Object.defineProperty(Object.prototype, "then", { value: () => {} });
});

export function Make(): Raft {
  return { Start: () => [-1, 0, false], GetState: () => [0, false], Snapshot: () => {}, Kill: () => {} };
}
