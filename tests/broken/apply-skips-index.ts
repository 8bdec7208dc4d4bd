// Bug: after handing an entry to the service, the applier believes it has caught up with
// commitIndex (lastApplied = commitIndex), skipping whatever was committed beyond that entry.
// Caught by: the tester's applier, "apply out of order", as soon as several entries commit at
// once (TestFailAgreePartB: a reconnected follower catches up).
import type { ApplyMsg } from "../../src/raft/api.ts";
import { makeWith, Raft } from "./make.ts";

class ApplySkipsIndex extends Raft {
  override async deliver(msg: ApplyMsg): Promise<void> {
    await super.deliver(msg);
    if (msg.CommandValid) this.lastApplied = this.commitIndex; // BUG: should stay at msg.CommandIndex
  }
}

export const Make = makeWith(ApplySkipsIndex);
