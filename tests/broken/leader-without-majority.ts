// Bug: a candidate declares itself leader at once, without waiting for a majority of votes.
// Caught by: TestReElectionPartA — a server cut off from the majority still claims to lead
// ("expected no leader among connected servers"), or two cut-off servers lead the same term
// (the monitor's Election Safety).
import { makeWith, Raft } from "./make.ts";

class LeaderWithoutMajority extends Raft {
  override becomeCandidate(): void {
    super.becomeCandidate();
    this.becomeLeader(); // BUG: the votes are still out
  }
}

export const Make = makeWith(LeaderWithoutMajority);
