// The reference Raft, spinning forever in its RequestVote handler. Expected: hung.
import type { MakeFn } from "../../src/raft/api.ts";
import { Make as reference } from "../../src/raft/raft.ts";

export const Make: MakeFn = (peers, me, persister, applyCh) => {
  const rf = reference(peers, me, persister, applyCh) as ReturnType<MakeFn> & { RequestVote?: unknown };
  rf.RequestVote = () => {
    for (;;) {
      // spin
    }
  };
  return rf;
};
