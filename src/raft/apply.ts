// The applier: hands committed entries (and installed snapshots) to the service, in order.
//
// One task per instance, woken through a condition variable whenever commitIndex moves, a
// snapshot is installed, or the instance is killed. applyCh is unbuffered: a send completes
// only when the service takes the message, and meanwhile the service may call back into Raft
// (applierSnap calls Snapshot() synchronously after some commands), and RPCs keep arriving.
// So nothing read before `await applyCh.send(...)` is trusted after it: each round re-reads
// the state from scratch, and no slice of the log is held across an await.
//
// lastApplied counts what has been handed over, including the message being handed over
// right now: it is advanced *before* the send, so that a Snapshot(index) the service makes
// from inside its apply loop sees index <= lastApplied.
import type { ApplyMsg } from "./api.ts";
import type { Raft } from "./raft.ts";

export async function applier(rf: Raft): Promise<void> {
  // SOLUTION BEGIN (PartB)
  while (!rf.killed()) {
    let msg: ApplyMsg;
    if (rf.lastApplied < rf.log.snapshotIndex) {
      // An installed snapshot is ahead of what the service has: deliver it first. Commands
      // then continue at snapshotIndex + 1.
      msg = {
        CommandValid: false, Command: null, CommandIndex: 0,
        SnapshotValid: true, Snapshot: rf.snapshot, SnapshotTerm: rf.log.snapshotTerm, SnapshotIndex: rf.log.snapshotIndex,
      };
      rf.lastApplied = rf.log.snapshotIndex;
    } else if (rf.lastApplied < rf.commitIndex) {
      const index = rf.lastApplied + 1;
      msg = {
        CommandValid: true, Command: rf.log.entry(index).Command, CommandIndex: index,
        SnapshotValid: false, Snapshot: new Uint8Array(0), SnapshotTerm: 0, SnapshotIndex: 0,
      };
      rf.lastApplied = index;
    } else {
      await rf.applyCond.wait(); // signalled on commit, snapshot install and Kill
      continue;
    }
    await rf.deliver(msg); // applyCh.send(msg)
  }
  // SOLUTION END
}
