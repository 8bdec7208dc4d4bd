// Attack: import the invariant monitor and silence every check it makes.
// Expected: the submission does not load: it may import only the lab API.
import { Monitor } from "../../src/config/monitor.ts";
import type { Raft } from "../../src/raft/api.ts";

for (const name of Object.getOwnPropertyNames(Monitor.prototype)) {
  (Monitor.prototype as unknown as Record<string, unknown>)[name] = () => {};
}

export function Make(): Raft {
  return { Start: () => [-1, 0, false], GetState: () => [0, false], Snapshot: () => {}, Kill: () => {} };
}
