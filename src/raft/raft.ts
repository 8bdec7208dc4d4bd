// The reference Raft: MIT 6.5840 Lab 3, parts A–D, on raftlab's deterministic simulator.
//
// This file holds the Raft object: its state (Figure 2 of the extended Raft paper), the lab
// API the tester calls (Make, Start, GetState, Snapshot, Kill), the RPC handlers (which
// delegate to the file of their concern) and the role state machine:
//
//            times out,                 receives votes from
//          starts election               a majority of servers
//   Follower ──────────────► Candidate ─────────────────────► Leader
//      ▲  ▲                      │                               │
//      │  └──────────────────────┘                               │
//      │   discovers the current leader or a higher term         │
//      └─────────────────────────────────────────────────────────┘
//                        discovers a server with a higher term
//
// The work is done by a few long-running tasks, each in its own file:
//   election.ts     the election ticker (randomized timeouts), RequestVote and vote counting;
//   replication.ts  per-term heartbeats and per-peer replication, AppendEntries, the commit rule;
//   apply.ts        the applier, woken by a condition variable when commitIndex moves;
//   snapshot.ts     Snapshot(), InstallSnapshot (handler and sender);
//   persist.ts      saving and restoring the persistent state with labgob;
//   log.ts          the log with its snapshot offset.
//
// Concurrency. JavaScript runs one task at a time and switches only at `await`, so code
// between two awaits is atomic and needs no lock. The price is that *anything* may have
// changed across an await: the term, the role, the log, nextIndex, even whether this
// instance was killed. Every continuation after an await re-checks what it depends on.
import type { ClientEnd } from "../labrpc/index.ts";
import type { Persister } from "../persister/index.ts";
import { type Channel, Cond, Debug, go, now, rng, type Rng } from "../sim/index.ts";
import type { ApplyMsg, Raft as RaftApi, RaftView } from "./api.ts";
import { applier } from "./apply.ts";
import { electionTicker, handleRequestVote } from "./election.ts";
import { persistState, restoreState } from "./persist.ts";
import { advanceCommitIndex, handleAppendEntries, replicateToAll, startReplication } from "./replication.ts";
import { handleInstallSnapshot, takeSnapshot } from "./snapshot.ts";
import {
  type AppendEntriesArgs, type AppendEntriesReply, type InstallSnapshotArgs, type InstallSnapshotReply,
  type RequestVoteArgs, type RequestVoteReply, type Role,
  ELECTION_TIMEOUT_MAX, ELECTION_TIMEOUT_MIN, HEARTBEAT_INTERVAL,
} from "./types.ts";
// SOLUTION BEGIN (PartB)
import { RaftLog } from "./log.ts";
// SOLUTION END

/** A single Raft peer. */
export class Raft implements RaftApi {
  /** RPC end points of all peers; peers[me] leads to this peer itself. */
  readonly peers: ClientEnd[];
  /** Object to hold this peer's persisted state. */
  readonly persister: Persister;
  /** This peer's index into peers[]. */
  readonly me: number;
  /** Where committed commands (and installed snapshots) go, in index order. */
  readonly applyCh: Channel<ApplyMsg>;
  /** Set by Kill(). */
  dead = false;

  // Your data here (PartA, PartB, PartC, PartD).
  // Look at the paper's Figure 2 for a description of what state a Raft server must maintain.

  // SOLUTION BEGIN (PartA)
  // Persistent state on all servers (saved before answering any RPC or sending anything that depends on it).
  /** Latest term this server has seen (0 on first boot, increases monotonically). */
  currentTerm = 0;
  /** Candidate that received this server's vote in currentTerm, or -1. */
  votedFor = -1;

  /** Follower, Candidate or Leader. */
  role: Role = "Follower";
  /** Virtual time at which a follower or candidate starts a new election. */
  electionDeadline = 0;
  /** This peer's own random stream (election timeouts). */
  readonly rand: Rng;
  /** How often a leader sends heartbeats (virtual ms): HEARTBEAT_INTERVAL, as a field a subclass can override. */
  heartbeatInterval = HEARTBEAT_INTERVAL;
  // SOLUTION END

  // SOLUTION BEGIN (PartB)
  /** The log (persistent), entries after the snapshot plus the snapshot's last index and term. */
  log: RaftLog = new RaftLog();

  // Volatile state on all servers.
  /** Highest log index known to be committed. */
  commitIndex = 0;
  /** Highest log index handed to the service on applyCh (or being handed over right now). */
  lastApplied = 0;
  /** Wakes the applier when commitIndex (or the snapshot) moves past lastApplied, and on Kill. */
  readonly applyCond = new Cond("applyCond");

  // Volatile state on leaders, reinitialised after each election.
  /** For each peer, index of the next log entry to send to it. */
  nextIndex: number[];
  /** For each peer, highest log index known to be replicated on it. */
  matchIndex: number[];

  // Per-peer flow control of the leader (replication.ts): at most one call in flight per
  // follower in the normal case, so that every entry travels to every follower once.
  /** A call to the peer is outstanding. */
  inFlight: boolean[];
  /** Virtual time the latest call to the peer was sent. */
  sentAt: number[];
  /** Sequence number of the latest call to the peer (identifies which reply frees the slot). */
  sendSeq: number[];
  /** Something new (entries, a commit index) arrived while a call was in flight: send again. */
  sendAgain: boolean[];
  // SOLUTION END

  // SOLUTION BEGIN (PartD)
  /** The service's latest snapshot (covers the log up to log.snapshotIndex); empty if none. */
  snapshot: Uint8Array = new Uint8Array(0);
  // SOLUTION END

  constructor(peers: ClientEnd[], me: number, persister: Persister, applyCh: Channel<ApplyMsg>) {
    this.peers = peers;
    this.me = me;
    this.persister = persister;
    this.applyCh = applyCh;

    // Your initialization code here.
    // SOLUTION BEGIN (PartA)
    this.rand = rng(`raft-${me}`);
    // SOLUTION END
    // SOLUTION BEGIN (PartB)
    const n = peers.length;
    this.nextIndex = new Array<number>(n).fill(1);
    this.matchIndex = new Array<number>(n).fill(0);
    this.inFlight = new Array<boolean>(n).fill(false);
    this.sentAt = new Array<number>(n).fill(0);
    this.sendSeq = new Array<number>(n).fill(0);
    this.sendAgain = new Array<boolean>(n).fill(false);
    // SOLUTION END
  }

  // ---- the lab API ----------------------------------------------------------------------

  /** Returns currentTerm and whether this server believes it is the leader. */
  GetState(): [number, boolean] {
    let term = 0;
    let isLeader = false;
    // SOLUTION BEGIN (PartA)
    term = this.currentTerm;
    isLeader = this.role === "Leader";
    // SOLUTION END
    return [term, isLeader];
  }

  /**
   * The service wants to start agreement on the next command to be appended to Raft's log.
   * If this server isn't the leader, returns false. Otherwise starts the agreement and returns
   * immediately: there is no guarantee that this command will ever be committed, since the
   * leader may fail or lose an election. Even if this instance has been killed, it returns
   * gracefully.
   *
   * The first return value is the index the command will appear at if it's ever committed,
   * the second is the current term, the third is true if this server believes it is the leader.
   */
  Start(command: unknown): [number, number, boolean] {
    let index = -1;
    let term = -1;
    let isLeader = false;
    // SOLUTION BEGIN (PartB)
    term = this.currentTerm;
    if (this.killed() || this.role !== "Leader") return [index, term, isLeader];
    index = this.log.lastIndex() + 1;
    this.log.append([{ Term: term, Command: command }]);
    this.persist();
    isLeader = true;
    Debug(this.me, "append", "T%d: Start appends index %d", term, index);
    // Replicate now, not at the next heartbeat. A follower with a call in flight gets the
    // entry as soon as that call returns, together with whatever else arrived meanwhile.
    replicateToAll(this);
    advanceCommitIndex(this); // a cluster of one commits on its own
    // SOLUTION END
    return [index, term, isLeader];
  }

  /**
   * The service says it has created a snapshot that has all info up to and including index.
   * Raft no longer needs the log through (and including) that index and should trim it.
   */
  Snapshot(index: number, snapshot: Uint8Array): void {
    takeSnapshot(this, index, snapshot);
  }

  /**
   * The tester doesn't halt tasks created by Raft after each test, but it does call Kill().
   * Every long-running loop checks killed() after every await and stops: a killed instance
   * must neither send RPCs nor apply anything.
   */
  Kill(): void {
    this.dead = true;
    // Your code here, if desired.
    // SOLUTION BEGIN (PartB)
    Debug(this.me, "crash", "T%d: killed", this.currentTerm);
    this.applyCond.broadcast(); // let the applier see the flag and exit
    // SOLUTION END
  }

  killed(): boolean {
    return this.dead;
  }

  /** A read-only view of the log for the tester's invariant monitor (a fresh object). */
  inspect(): RaftView {
    let view: RaftView = { currentTerm: 0, commitIndex: 0, snapshotIndex: 0, snapshotTerm: 0, lastIndex: 0, termAt: () => 0 };
    // SOLUTION BEGIN (PartB)
    const log = this.log;
    view = {
      currentTerm: this.currentTerm,
      votedFor: this.votedFor,
      commitIndex: this.commitIndex,
      snapshotIndex: log.snapshotIndex,
      snapshotTerm: log.snapshotTerm,
      lastIndex: log.lastIndex(),
      termAt: (index) => log.term(index),
    };
    // SOLUTION END
    return view;
  }

  // ---- persistence (persist.ts) ----------------------------------------------------------

  /**
   * Saves Raft's persistent state to stable storage, where it can be retrieved after a crash
   * and restart. Call it before anything that depends on the new state leaves this peer (an
   * RPC reply, an RPC, an ApplyMsg). See the paper's Figure 2 for what should be persistent.
   */
  persist(): void {
    persistState(this);
  }

  /** Restores previously persisted state (empty `data`: first boot, nothing to restore). */
  readPersist(data: Uint8Array): void {
    restoreState(this, data);
  }

  // ---- RPC handlers (called by labrpc; fill in `reply`) ----------------------------------

  /** RequestVote RPC handler (election.ts). */
  RequestVote(args: RequestVoteArgs, reply: RequestVoteReply): void {
    handleRequestVote(this, args, reply);
  }

  /** AppendEntries RPC handler (replication.ts): heartbeats and log replication. */
  AppendEntries(args: AppendEntriesArgs, reply: AppendEntriesReply): void {
    handleAppendEntries(this, args, reply);
  }

  /** InstallSnapshot RPC handler (snapshot.ts). */
  InstallSnapshot(args: InstallSnapshotArgs, reply: InstallSnapshotReply): void {
    handleInstallSnapshot(this, args, reply);
  }

  // ---- the role state machine ------------------------------------------------------------

  // SOLUTION BEGIN (PartA)
  /** Whether this instance is alive and still the leader of `term` (a task's context check). */
  isLeaderOf(term: number): boolean {
    return !this.dead && this.role === "Leader" && this.currentTerm === term;
  }
  // SOLUTION END

  /** Draws a new election timeout, counted from now. */
  resetElectionTimer(): void {
    // SOLUTION BEGIN (PartA)
    this.electionDeadline = now() + this.rand.between(ELECTION_TIMEOUT_MIN, ELECTION_TIMEOUT_MAX);
    // SOLUTION END
  }

  /**
   * Steps down to follower in `term` (>= currentTerm): on any RPC or reply with a higher
   * term, and when a candidate hears from the leader of its own term. A new term clears the
   * vote, and both are persisted.
   */
  becomeFollower(term: number): void {
    // SOLUTION BEGIN (PartA)
    if (term < this.currentTerm) return;
    const from = this.role;
    this.role = "Follower";
    if (term > this.currentTerm) {
      this.currentTerm = term;
      this.votedFor = -1;
      this.persist();
    }
    if (from === "Leader") this.resetElectionTimer(); // a leader's old deadline means nothing
    if (from !== "Follower") Debug(this.me, "election", "T%d: %s -> Follower", this.currentTerm, from);
    // SOLUTION END
  }

  /** Starts a new term as candidate, voting for itself. */
  becomeCandidate(): void {
    // SOLUTION BEGIN (PartA)
    if (this.role === "Leader") return;
    this.currentTerm++;
    this.role = "Candidate";
    this.votedFor = this.me;
    this.persist();
    this.resetElectionTimer();
    Debug(this.me, "election", "T%d: election timeout, becoming Candidate", this.currentTerm);
    // SOLUTION END
  }

  /** A candidate that won its election takes office: fresh replication state, heartbeats at once. */
  becomeLeader(): void {
    // SOLUTION BEGIN (PartA)
    if (this.role !== "Candidate") return;
    this.role = "Leader";
    Debug(this.me, "election", "T%d: becoming Leader", this.currentTerm);
    // SOLUTION END
    // SOLUTION BEGIN (PartB)
    this.nextIndex.fill(this.log.lastIndex() + 1);
    this.matchIndex.fill(0);
    this.inFlight.fill(false);
    this.sendAgain.fill(false);
    // SOLUTION END
    // SOLUTION BEGIN (PartA)
    startReplication(this);
    // SOLUTION END
  }

  // SOLUTION BEGIN (PartB)
  // ---- decisions of the replication and apply tasks ----------------------------------
  // The tasks are free functions (replication.ts, apply.ts); these few decisions of theirs are
  // methods, so that a subclass of Raft can override them.

  /** The AppendEntries request for `peer` in `term`: everything from nextIndex[peer] on. */
  appendEntriesArgs(peer: number, term: number): AppendEntriesArgs {
    const prevLogIndex = this.nextIndex[peer]! - 1;
    return {
      Term: term,
      LeaderId: this.me,
      PrevLogIndex: prevLogIndex,
      PrevLogTerm: this.log.term(prevLogIndex),
      Entries: this.log.slice(prevLogIndex + 1), // a fresh array: later appends don't touch it
      LeaderCommit: this.commitIndex,
    };
  }

  /**
   * The Figure 8 rule: may the leader commit `index` by counting the replicas that hold it?
   * Only an entry of its own term; earlier ones are committed implicitly, below such an entry.
   */
  mayCommitByCounting(index: number): boolean {
    return this.log.term(index) === this.currentTerm;
  }

  /** Hands one message to the service on applyCh; resolves once the service has taken it. */
  deliver(msg: ApplyMsg): Promise<void> {
    return this.applyCh.send(msg);
  }
  // SOLUTION END
}

/**
 * The service or tester wants to create a Raft server. The ports of all the Raft servers
 * (including this one) are in peers[]; this server's port is peers[me]. All servers' peers[]
 * arrays have the same order. persister is a place for this server to save its persistent
 * state, and also initially holds the most recent saved state, if any. applyCh is a channel on
 * which the tester or service expects Raft to send ApplyMsg messages. Make() must return
 * quickly, so it starts tasks for any long-running work.
 */
export function Make(peers: ClientEnd[], me: number, persister: Persister, applyCh: Channel<ApplyMsg>): Raft {
  return startRaft(new Raft(peers, me, persister, applyCh));
}

/**
 * The second half of Make(), shared with subclasses of Raft: restores the persisted state of a
 * freshly constructed Raft and starts its long-running tasks. Returns `rf`.
 */
export function startRaft<R extends Raft>(rf: R): R {
  // initialize from state persisted before a crash
  rf.readPersist(rf.persister.ReadRaftState());

  // start the ticker task to start elections
  go(`raft-${rf.me}-ticker`, () => electionTicker(rf));
  // start the applier task that hands committed entries to the service
  go(`raft-${rf.me}-applier`, () => applier(rf));

  return rf;
}
