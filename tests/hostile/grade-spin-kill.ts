// The reference Raft, spinning forever in Kill (called as the test cleans up, after its
// Passed line). Expected: hung; the run does not count as passed, though the tester's checks
// had all succeeded, because it never ended.
import type { MakeFn } from "../../src/raft/api.ts";
import { Make as reference } from "../../src/raft/raft.ts";

export const Make: MakeFn = (peers, me, persister, applyCh) => {
  const rf = reference(peers, me, persister, applyCh);
  rf.Kill = () => {
    for (;;) {
      // spin
    }
  };
  return rf;
};
