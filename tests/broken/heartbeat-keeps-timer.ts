// Bug: an AppendEntries from the current leader does not reset the follower's election timer,
// so followers keep starting elections under a healthy leader.
// Caught by: MIT's PartA tests (docs/BROKEN.md).
import type { AppendEntriesArgs, AppendEntriesReply } from "../../src/raft/types.ts";
import { makeWith, Raft } from "./make.ts";

class HeartbeatKeepsTimer extends Raft {
  override AppendEntries(args: AppendEntriesArgs, reply: AppendEntriesReply): void {
    const deadline = this.electionDeadline;
    const wasFollower = this.role === "Follower";
    super.AppendEntries(args, reply);
    if (wasFollower) this.electionDeadline = deadline; // BUG: the leader's heartbeat must defer our election
  }
}

export const Make = makeWith(HeartbeatKeepsTimer);
