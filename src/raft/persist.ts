// Persistence: Figure 2's persistent state (currentTerm, votedFor, log), plus where the log
// starts (the snapshot's last index and term), encoded with labgob and saved together with the
// current snapshot. The Persister's Save replaces both halves at once, so every Save passes
// the snapshot again: saving without it would lose it.
import { decode, encode } from "../labgob/index.ts";
import type { Raft } from "./raft.ts";
// SOLUTION BEGIN (PartC)
import { type LogEntry, RaftLog } from "./log.ts";

/**
 * What is persisted, as a plain object (labgob encodes plain objects only). The log after the
 * snapshot is stored as two parallel arrays rather than as entry objects: labgob spells out
 * every member name of every object, so this is smaller (MAXLOGSIZE) and several times
 * faster to encode, and the whole log is encoded on every persist.
 */
interface PersistentState {
  CurrentTerm: number;
  VotedFor: number;
  LastIncludedIndex: number;
  LastIncludedTerm: number;
  /** LogTerms[k] and LogCommands[k] are the term and command of index LastIncludedIndex + 1 + k. */
  LogTerms: number[];
  LogCommands: unknown[];
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
    LogTerms: [],
    LogCommands: [],
  };
  for (const e of rf.log.tail()) {
    state.LogTerms.push(e.Term);
    state.LogCommands.push(e.Command);
  }
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
  if (state === null || typeof state !== "object" || !Number.isInteger(state.CurrentTerm) || !Array.isArray(state.LogTerms) || !Array.isArray(state.LogCommands) ||
      state.LogTerms.length !== state.LogCommands.length) {
    throw new Error(`readPersist: peer ${rf.me}: the persisted state is not a Raft state`);
  }
  rf.currentTerm = state.CurrentTerm;
  rf.votedFor = state.VotedFor;
  const entries: LogEntry[] = state.LogTerms.map((term, k) => ({ Term: term, Command: state.LogCommands[k] }));
  rf.log = new RaftLog(state.LastIncludedIndex, state.LastIncludedTerm, entries);
  // The snapshot is ours again: keep it in memory, so that the next Save doesn't drop it.
  // The tester has already handed it to the service at restart, so it is not sent on applyCh
  // again: whatever it covers counts as committed and applied.
  rf.snapshot = rf.persister.ReadSnapshot();
  rf.commitIndex = rf.log.snapshotIndex;
  rf.lastApplied = rf.log.snapshotIndex;
  // SOLUTION END
}
