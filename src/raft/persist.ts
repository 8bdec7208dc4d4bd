// Persistence: Figure 2's persistent state (currentTerm, votedFor, log), plus where the log
// starts (the snapshot's last index and term), encoded with labgob and saved together with the
// current snapshot. The Persister's Save replaces both halves at once, so every Save passes
// the snapshot again: saving without it would lose it.
import { decode, encode } from "../labgob/index.ts";
import type { Raft } from "./raft.ts";
// SOLUTION BEGIN (PartC)
import { RaftLog } from "./log.ts";

/** What is persisted, as a plain object (labgob encodes plain objects only). */
interface PersistentState {
  CurrentTerm: number;
  VotedFor: number;
  /** Where the log starts: the snapshot's last index and term. */
  LastIncludedIndex: number;
  LastIncludedTerm: number;
  /** The entries after the snapshot, as RaftLog.persisted() gives them. */
  Log: Uint8Array;
}
// SOLUTION END

/** Saves the persistent state (and the snapshot) to rf.persister. */
export function persistState(rf: Raft): void {
  // Example:
  //   const raftstate = encode({ CurrentTerm: ..., VotedFor: ..., ... }, "raft state");
  //   rf.persister.Save(raftstate, null);
  // SOLUTION BEGIN (PartC)
  const state: PersistentState = {
    CurrentTerm: rf.currentTerm,
    VotedFor: rf.votedFor,
    LastIncludedIndex: rf.log.snapshotIndex,
    LastIncludedTerm: rf.log.snapshotTerm,
    Log: rf.log.persisted(),
  };
  rf.persister.Save(encode(state, "Raft persistent state"), rf.snapshot);
  // SOLUTION END
}

/** Restores the persisted state; `data` is empty on first boot. */
export function restoreState(rf: Raft, data: Uint8Array): void {
  if (data.length === 0) return; // bootstrap without any state
  // Example:
  //   const state = decode(data) as { CurrentTerm: number, ... };
  //   rf.currentTerm = state.CurrentTerm; ...
  // SOLUTION BEGIN (PartC)
  const state = decode(data) as PersistentState;
  if (state === null || typeof state !== "object" || !Number.isInteger(state.CurrentTerm) || !(state.Log instanceof Uint8Array)) {
    throw new Error(`readPersist: peer ${rf.me}: the persisted state is not a Raft state`);
  }
  rf.currentTerm = state.CurrentTerm;
  rf.votedFor = state.VotedFor;
  rf.log = RaftLog.fromPersisted(state.LastIncludedIndex, state.LastIncludedTerm, state.Log);
  // The snapshot is ours again: keep it in memory, so that the next Save doesn't drop it.
  // The tester has already handed it to the service at restart, so it is not sent on applyCh
  // again: whatever it covers counts as committed and applied.
  rf.snapshot = rf.persister.ReadSnapshot();
  rf.commitIndex = rf.log.snapshotIndex;
  rf.lastApplied = rf.log.snapshotIndex;
  // SOLUTION END
}
