// Attack: import the simulator's world module and make World.prototype.fail a no-op.
// Expected: the submission does not load: it may import only the lab API.
import { World } from "../../src/sim/world.ts";
import type { Raft } from "../../src/raft/api.ts";

World.prototype.fail = () => {};

export function Make(): Raft {
  return { Start: () => [-1, 0, false], GetState: () => [0, false], Snapshot: () => {}, Kill: () => {} };
}
