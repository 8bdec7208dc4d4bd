// Bug: Start() replicates the new entry a second time at once, ignoring the call already in
// flight to each follower: every entry travels to every follower twice.
// Caught by: TestRPCBytesPartB, "too many RPC bytes".
import { replicateToAll } from "../../src/raft/replication.ts";
import { makeWith, Raft } from "./make.ts";

class EntriesTwice extends Raft {
  override Start(command: unknown): [number, number, boolean] {
    const r = super.Start(command);
    if (r[2]) {
      this.inFlight.fill(false); // BUG: "just to be sure", as if no call were in flight
      replicateToAll(this);
    }
    return r;
  }
}

export const Make = makeWith(EntriesTwice);
