// The lab API: what a student implements and what the tester calls. The names are MIT's on
// purpose, so the MIT handout and the course notes read verbatim.
import type { ClientEnd } from "../labrpc/index.ts";
import type { Persister } from "../persister/index.ts";
import type { Channel } from "../sim/index.ts";

/** What Raft hands the service (the tester) on applyCh, in index order. */
export interface ApplyMsg {
  CommandValid: boolean;
  Command: unknown;
  CommandIndex: number;

  SnapshotValid: boolean;
  Snapshot: Uint8Array;
  SnapshotTerm: number;
  SnapshotIndex: number;
}

export interface Raft {
  /**
   * Starts agreement on `command`. Returns at once: the index the command will have if it is
   * ever committed, the current term, and whether this peer believes it is the leader.
   */
  Start(command: unknown): [index: number, term: number, isLeader: boolean];
  /** The current term and whether this peer believes it is the leader. */
  GetState(): [term: number, isLeader: boolean];
  /** The service has a snapshot of everything up to and including `index`; trim the log. */
  Snapshot(index: number, snapshot: Uint8Array): void;
  /** The tester is done with this instance; long-running loops must notice and stop. */
  Kill(): void;
  /**
   * Optional, read-only: lets the invariant monitor also check Log Matching and Leader
   * Completeness. Return a fresh object; the monitor never changes it.
   */
  inspect?(): RaftView;
}

/**
 * A read-only view of a peer's log, for the invariant monitor. `termAt` must answer for every
 * index from snapshotIndex (answering snapshotTerm) to lastIndex, without changing anything.
 */
export interface RaftView {
  currentTerm: number;
  /**
   * The candidate voted for in currentTerm; -1, null or absent for none. Informational: the
   * monitor checks one vote per term on the network (two granted replies), not here.
   */
  votedFor?: number | null;
  commitIndex: number;
  /** Index of the last entry covered by the snapshot (0 without one). */
  snapshotIndex: number;
  /** Term of the entry at snapshotIndex (0 without a snapshot). */
  snapshotTerm: number;
  /** Index of the last entry in the log. */
  lastIndex: number;
  /** The term of the entry at `index`, for snapshotIndex <= index <= lastIndex. */
  termAt(index: number): number;
}

/** `Make(peers, me, persister, applyCh)`: must return quickly and start its work in tasks. */
export type MakeFn = (peers: ClientEnd[], me: number, persister: Persister, applyCh: Channel<ApplyMsg>) => Raft;

/** What an implementation module exports. */
export interface RaftModule {
  Make: MakeFn;
}
