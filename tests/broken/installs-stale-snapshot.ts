// Bug: the InstallSnapshot handler never asks whether the snapshot is news (Figure 13 says to
// ignore one that covers no more than what is already committed). A late, older snapshot is
// installed over a log that has moved on: the follower rolls back to it, dropping entries
// after it that it had acknowledged and the leader had counted towards commits.
// Caught by: TestScenarioStaleSnapshotPartD (Leader Completeness or apply error), which holds
// one InstallSnapshot back until the follower is well past it.
import type { InstallSnapshotArgs, InstallSnapshotReply } from "../../src/raft/types.ts";
import { makeWith, Raft } from "./make.ts";

class InstallsStaleSnapshot extends Raft {
  override InstallSnapshot(args: InstallSnapshotArgs, reply: InstallSnapshotReply): void {
    reply.Term = this.currentTerm;
    if (this.killed() || args.Term < this.currentTerm) return;
    this.becomeFollower(args.Term);
    this.resetElectionTimer();
    reply.Term = this.currentTerm;
    // BUG: no "if args.LastIncludedIndex <= commitIndex, ignore it".
    const index = args.LastIncludedIndex;
    if (index > this.log.snapshotIndex && this.log.term(index) === args.LastIncludedTerm) this.log.compact(index);
    else this.log.reset(index, args.LastIncludedTerm);
    this.snapshot = args.Data;
    this.commitIndex = index;
    this.persist();
    this.applyCond.signal();
  }
}

export const Make = makeWith(InstallsStaleSnapshot);
