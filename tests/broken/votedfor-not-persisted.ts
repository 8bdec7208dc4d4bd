// Bug: votedFor is left out of the persistent state (always saved as -1), so a peer that
// crashes and restarts can vote a second time in the same term.
// Caught by: the monitor, "voted twice in term" (or Election Safety), but only rarely: in about
// 1 of 100–200 runs of the churn tests (TestUnreliableChurnPartC, TestReliableChurnPartC), never
// in the other tests (docs/BROKEN.md).
import { makeWith, Raft } from "./make.ts";

class VotedForNotPersisted extends Raft {
  override persist(): void {
    const votedFor = this.votedFor;
    this.votedFor = -1; // BUG: what gets saved
    super.persist();
    this.votedFor = votedFor;
  }
}

export const Make = makeWith(VotedForNotPersisted);
