// Bug: a follower installs a leader's snapshot but never hands it to the service on applyCh;
// its applier carries on after the snapshot's index as if the service had it.
// Caught by: TestSnapshotInstallPartD (the tester's applierSnap: apply out of order),
// docs/BROKEN.md.
import type { InstallSnapshotArgs, InstallSnapshotReply } from "../../src/raft/types.ts";
import { makeWith, Raft } from "./make.ts";

class SnapshotNotDelivered extends Raft {
  override InstallSnapshot(args: InstallSnapshotArgs, reply: InstallSnapshotReply): void {
    super.InstallSnapshot(args, reply);
    if (this.lastApplied < this.log.snapshotIndex) this.lastApplied = this.log.snapshotIndex; // BUG: the snapshot must reach the service
  }
}

export const Make = makeWith(SnapshotNotDelivered);
