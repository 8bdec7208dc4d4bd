// Bug: RequestVote forgets whom this peer voted for, so it can vote for a second candidate in
// the same term.
// Caught by: the monitor, "voted twice in term" (or Election Safety once both candidates win).
import type { RequestVoteArgs, RequestVoteReply } from "../../src/raft/types.ts";
import { makeWith, Raft } from "./make.ts";

class DoubleVote extends Raft {
  override RequestVote(args: RequestVoteArgs, reply: RequestVoteReply): void {
    this.votedFor = -1; // BUG: the vote already given in this term is forgotten
    super.RequestVote(args, reply);
  }
}

export const Make = makeWith(DoubleVote);
