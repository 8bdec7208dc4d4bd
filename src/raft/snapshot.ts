// Log compaction (§7 of the paper, Figure 13).
//
// The service snapshots its own state and calls Snapshot(index, bytes); Raft then drops the
// log up to index and keeps the snapshot, persisting both together. A leader whose follower
// needs entries that are compacted away sends its snapshot instead (InstallSnapshot, in one
// piece). The follower installs it if it is news, i.e. beyond what it has committed, keeping
// the log suffix that follows if that suffix matches; the applier then hands the snapshot to
// the service, and commands continue at LastIncludedIndex + 1.
import { Debug } from "../sim/index.ts";
import type { Raft } from "./raft.ts";
import type { InstallSnapshotArgs, InstallSnapshotReply } from "./types.ts";

/**
 * Snapshot(index, snapshot), called by the service, possibly from inside its apply loop
 * (while our applier waits for applyCh.send to complete).
 */
export function takeSnapshot(rf: Raft, index: number, snapshot: Uint8Array): void {
  // SOLUTION BEGIN (PartD)
  if (rf.killed()) return;
  // Only an index the service has been given and that is not compacted yet means anything.
  if (index <= rf.log.snapshotIndex || index > rf.lastApplied) {
    Debug(rf.me, "snapshot", "T%d: ignore Snapshot(%d): have %d, applied %d", rf.currentTerm, index, rf.log.snapshotIndex, rf.lastApplied);
    return;
  }
  rf.log.compact(index);
  rf.snapshot = snapshot.slice(); // our own copy: the caller keeps its array
  rf.persist();
  Debug(rf.me, "snapshot", "T%d: snapshot at %d, %d entries left", rf.currentTerm, index, rf.log.lastIndex() - index);
  // SOLUTION END
}

/** The InstallSnapshot handler: fills in `reply`. */
export function handleInstallSnapshot(rf: Raft, args: InstallSnapshotArgs, reply: InstallSnapshotReply): void {
  // SOLUTION BEGIN (PartD)
  reply.Term = rf.currentTerm;
  if (rf.killed() || args.Term < rf.currentTerm) return;
  rf.becomeFollower(args.Term);
  rf.resetElectionTimer();
  reply.Term = rf.currentTerm;

  // Stale or redundant: we have already committed everything it covers. Our log agrees with
  // the leader's up to commitIndex, and what we compacted was committed too, so the leader
  // may treat the reply as success all the same.
  if (args.LastIncludedIndex <= rf.commitIndex) return;

  if (rf.log.term(args.LastIncludedIndex) === args.LastIncludedTerm) {
    rf.log.compact(args.LastIncludedIndex); // our suffix after it matches: keep it
  } else {
    rf.log.reset(args.LastIncludedIndex, args.LastIncludedTerm); // discard the whole log
  }
  rf.snapshot = args.Data;
  rf.commitIndex = args.LastIncludedIndex;
  rf.persist();
  Debug(rf.me, "snapshot", "T%d: installed snapshot at %d (term %d) from S%d", rf.currentTerm,
    args.LastIncludedIndex, args.LastIncludedTerm, args.LeaderId);
  rf.applyCond.signal(); // the applier delivers it to the service
  // SOLUTION END
}

/**
 * Leader side: sends the current snapshot to `peer` and processes the reply. Returns true if
 * the follower answered and we are still its leader.
 */
export async function sendInstallSnapshot(rf: Raft, peer: number, term: number): Promise<boolean> {
  let progressed = false;
  // SOLUTION BEGIN (PartD)
  const args: InstallSnapshotArgs = {
    Term: term,
    LeaderId: rf.me,
    LastIncludedIndex: rf.log.snapshotIndex,
    LastIncludedTerm: rf.log.snapshotTerm,
    Data: rf.snapshot, // never mutated: a new snapshot replaces the array
  };
  const reply: InstallSnapshotReply = { Term: 0 };
  const ok = await rf.peers[peer]!.Call("Raft.InstallSnapshot", args, reply);
  if (!ok || rf.killed()) return false;
  if (reply.Term > rf.currentTerm) {
    rf.becomeFollower(reply.Term);
    return false;
  }
  if (!rf.isLeaderOf(term)) return false;
  if (args.LastIncludedIndex > rf.matchIndex[peer]!) rf.matchIndex[peer] = args.LastIncludedIndex;
  if (args.LastIncludedIndex + 1 > rf.nextIndex[peer]!) rf.nextIndex[peer] = args.LastIncludedIndex + 1;
  progressed = true;
  // SOLUTION END
  return progressed;
}
