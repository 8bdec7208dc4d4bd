// Bug: the InstallSnapshot handler hands the snapshot to the service itself, from a task of
// its own (Go's `go func() { rf.applyCh <- msg }()`), and tells the applier it is done with it
// (lastApplied = LastIncludedIndex). The applier goes on with the entries after the snapshot,
// which can reach the service first: the snapshot then arrives older than what was applied.
// It shows once tasks start in no particular order, as goroutines do: in race mode.
// Caught by: the tester's applierSnap in the InstallSnapshot tests in race mode, "apply out
// of order".
import type { ApplyMsg } from "../../src/raft/api.ts";
import type { InstallSnapshotArgs, InstallSnapshotReply } from "../../src/raft/types.ts";
import { go } from "../../src/sim/index.ts";
import { makeWith, Raft } from "./make.ts";

class SnapshotFromHandler extends Raft {
  override InstallSnapshot(args: InstallSnapshotArgs, reply: InstallSnapshotReply): void {
    super.InstallSnapshot(args, reply);
    if (this.lastApplied >= this.log.snapshotIndex) return; // nothing installed
    // BUG: not left to the applier, which delivers a snapshot before the entries that follow it
    const msg: ApplyMsg = {
      CommandValid: false, Command: null, CommandIndex: 0,
      SnapshotValid: true, Snapshot: this.snapshot, SnapshotTerm: this.log.snapshotTerm, SnapshotIndex: this.log.snapshotIndex,
    };
    this.lastApplied = this.log.snapshotIndex;
    go(`raft-${this.me}-install-snapshot`, () => this.applyCh.send(msg));
  }
}

export const Make = makeWith(SnapshotFromHandler);
