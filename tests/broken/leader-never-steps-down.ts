// Bug: a leader that learns of a higher term adopts the term but never steps down, so it
// leads a term whose leader is somebody else.
// Caught by: TestReElectionPartA, when the old leader rejoins: the monitor's Election Safety.
import { makeWith, Raft } from "./make.ts";

class LeaderNeverStepsDown extends Raft {
  override becomeFollower(term: number): void {
    if (this.role !== "Leader") return super.becomeFollower(term);
    // BUG: stays Leader
    if (term > this.currentTerm) {
      this.currentTerm = term;
      this.votedFor = -1;
      this.persist();
    }
  }
}

export const Make = makeWith(LeaderNeverStepsDown);
