// Bug: GetState() returns an object { term, isLeader } instead of the tuple [term, isLeader].
// Caught by: the monitor's first look, "GetState() of peer … returned …, not [term: number, isLeader: boolean]".
import { makeWith, Raft } from "./make.ts";

class GetStateGarbage extends Raft {
  override GetState(): [number, boolean] {
    const [term, isLeader] = super.GetState();
    return { term, isLeader } as unknown as [number, boolean]; // BUG
  }
}

export const Make = makeWith(GetStateGarbage);
