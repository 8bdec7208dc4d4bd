// Shared definitions of the reference Raft: roles, timing, and the RPC messages.
//
// RPC field names are MIT's and capitalised, as in the Go lab: every field travels through
// labgob, which encodes plain objects member by member. Messages must be plain objects made
// of numbers, strings, booleans, null, arrays, Uint8Arrays and plain objects (no class
// instances, no undefined members).
import type { LogEntry } from "./log.ts";

/** The three roles of Figure 2; a peer is always in exactly one of them. */
export type Role = "Follower" | "Candidate" | "Leader";

/**
 * A leader sends AppendEntries to every follower at least this often (virtual ms). The tester
 * allows at most ten heartbeats a second (TestCountPartB).
 */
export const HEARTBEAT_INTERVAL = 100;

/**
 * Election timeouts are drawn uniformly from [MIN, MAX] ms. They must be well above the
 * heartbeat interval (a follower must not time out while its leader is alive), and short
 * enough that a new leader is elected within the tester's 5 s.
 */
export const ELECTION_TIMEOUT_MIN = 300;
export const ELECTION_TIMEOUT_MAX = 600;

// ---- RequestVote (Figure 2) --------------------------------------------------------------

export interface RequestVoteArgs {
  // SOLUTION BEGIN (PartA)
  /** The candidate's term. */
  Term: number;
  /** The candidate requesting the vote. */
  CandidateId: number;
  /** Index and term of the candidate's last log entry (the election restriction, §5.4.1). */
  LastLogIndex: number;
  LastLogTerm: number;
  // SOLUTION END
}

export interface RequestVoteReply {
  // SOLUTION BEGIN (PartA)
  /** The voter's currentTerm, for the candidate to update itself. */
  Term: number;
  /** True means the candidate received the vote. */
  VoteGranted: boolean;
  // SOLUTION END
}

// ---- AppendEntries (Figure 2, with the lecture's fast log backup) ------------------------

export interface AppendEntriesArgs {
  // SOLUTION BEGIN (PartA)
  /** The leader's term. */
  Term: number;
  /** So the follower knows who its leader is (traces only here: there are no clients). */
  LeaderId: number;
  // SOLUTION END
  // SOLUTION BEGIN (PartB)
  /** Index and term of the entry immediately preceding Entries. */
  PrevLogIndex: number;
  PrevLogTerm: number;
  /** Entries to store (empty for a pure heartbeat). */
  Entries: LogEntry[];
  /** The leader's commitIndex. */
  LeaderCommit: number;
  // SOLUTION END
}

export interface AppendEntriesReply {
  // SOLUTION BEGIN (PartA)
  /** The follower's currentTerm, for the leader to update itself. */
  Term: number;
  /** True if the follower held an entry matching PrevLogIndex and PrevLogTerm. */
  Success: boolean;
  // SOLUTION END
  // SOLUTION BEGIN (PartB)
  // Fast backup on a rejection (6.5840 lecture notes): the leader can skip a whole term of
  // conflicting entries per round trip instead of one entry.
  /** Term of the follower's conflicting entry at PrevLogIndex, or -1 if it has none there. */
  XTerm: number;
  /** Index of the follower's first entry with term XTerm (-1 when XTerm is -1). */
  XIndex: number;
  /** The follower's log length (last index + 1): where the leader resumes if the log is too short. */
  XLen: number;
  // SOLUTION END
}

// ---- InstallSnapshot (Figure 13, sent in one piece: no offset, no chunks) ----------------

export interface InstallSnapshotArgs {
  // SOLUTION BEGIN (PartD)
  /** The leader's term. */
  Term: number;
  LeaderId: number;
  /** The snapshot replaces all entries up to and including this index... */
  LastIncludedIndex: number;
  /** ...whose term is this. */
  LastIncludedTerm: number;
  /** The service's snapshot bytes, opaque to Raft. */
  Data: Uint8Array;
  // SOLUTION END
}

export interface InstallSnapshotReply {
  // SOLUTION BEGIN (PartD)
  /** The follower's currentTerm, for the leader to update itself. */
  Term: number;
  // SOLUTION END
}
