// A student-style Raft, as a benchmark workload (issue 10). Never part of the handout.
//
// Written the way the Students' Guide to Raft and most published solutions do it, not the way
// the reference does: one file, one big object, the whole persistent state encoded on every
// persist, AppendEntries carrying every entry from nextIndex, polling loops with short sleeps
// (a 10 ms ticker and a 10 ms applier poll) and one task per RPC. It is correct (it passes the
// 28 tests), it is simply not frugal: that is what raftlab must be fast on.
//
// The log keeps a dummy entry at position 0 whose Term is the snapshot's last term, so index i
// lives at log[i - lastIncludedIndex].
//
// Concurrency: JavaScript switches tasks only at `await`, so there are no locks; after every
// await this code re-checks killed(), the term and the role before acting on what it got.
import type { ClientEnd } from "../../src/labrpc/index.ts";
import type { Persister } from "../../src/persister/index.ts";
import type { ApplyMsg, Raft as RaftApi, RaftView } from "../../src/raft/api.ts";
import { decode, encode } from "../../src/labgob/index.ts";
import { type Channel, go, now, randomInt, sleep } from "../../src/sim/index.ts";

const FOLLOWER = 0;
const CANDIDATE = 1;
const LEADER = 2;

const HEARTBEAT_MS = 100;
const TICK_MS = 10;
const APPLY_POLL_MS = 10;

interface LogEntry {
  Term: number;
  Command: unknown;
}

interface RequestVoteArgs {
  Term: number;
  CandidateId: number;
  LastLogIndex: number;
  LastLogTerm: number;
}
interface RequestVoteReply {
  Term: number;
  VoteGranted: boolean;
}
interface AppendEntriesArgs {
  Term: number;
  LeaderId: number;
  PrevLogIndex: number;
  PrevLogTerm: number;
  Entries: LogEntry[];
  LeaderCommit: number;
}
interface AppendEntriesReply {
  Term: number;
  Success: boolean;
  XTerm: number;
  XIndex: number;
  XLen: number;
}
interface InstallSnapshotArgs {
  Term: number;
  LeaderId: number;
  LastIncludedIndex: number;
  LastIncludedTerm: number;
  Data: Uint8Array;
}
interface InstallSnapshotReply {
  Term: number;
}

interface PersistentState {
  CurrentTerm: number;
  VotedFor: number;
  Log: LogEntry[];
  LastIncludedIndex: number;
  LastIncludedTerm: number;
}

export class Raft implements RaftApi {
  dead = false;
  state = FOLLOWER;

  currentTerm = 0;
  votedFor = -1;
  log: LogEntry[] = [{ Term: 0, Command: null }];
  lastIncludedIndex = 0;
  lastIncludedTerm = 0;
  snapshot: Uint8Array;

  commitIndex = 0;
  lastApplied = 0;
  nextIndex: number[] = [];
  matchIndex: number[] = [];

  lastHeard = 0;
  electionTimeout = 0;
  lastBroadcast = 0;
  pendingSnapshot: { data: Uint8Array; term: number; index: number } | null = null;

  constructor(
    readonly peers: ClientEnd[],
    readonly me: number,
    readonly persister: Persister,
    readonly applyCh: Channel<ApplyMsg>,
  ) {
    this.snapshot = persister.ReadSnapshot();
    this.readPersist(persister.ReadRaftState());
    this.commitIndex = this.lastIncludedIndex;
    this.lastApplied = this.lastIncludedIndex;
    this.resetElectionTimer();
  }

  // ---- helpers --------------------------------------------------------------------------

  killed(): boolean {
    return this.dead;
  }

  lastLogIndex(): number {
    return this.lastIncludedIndex + this.log.length - 1;
  }

  termAt(index: number): number {
    return this.log[index - this.lastIncludedIndex]!.Term;
  }

  resetElectionTimer(): void {
    this.lastHeard = now();
    this.electionTimeout = randomInt(300, 600);
  }

  becomeFollower(term: number): void {
    this.state = FOLLOWER;
    if (term > this.currentTerm) {
      this.currentTerm = term;
      this.votedFor = -1;
    }
    this.persist();
  }

  persist(): void {
    const state: PersistentState = {
      CurrentTerm: this.currentTerm,
      VotedFor: this.votedFor,
      Log: this.log,
      LastIncludedIndex: this.lastIncludedIndex,
      LastIncludedTerm: this.lastIncludedTerm,
    };
    this.persister.Save(encode(state, "raft state"), this.snapshot);
  }

  readPersist(data: Uint8Array): void {
    if (data.length === 0) return;
    const s = decode(data) as PersistentState;
    this.currentTerm = s.CurrentTerm;
    this.votedFor = s.VotedFor;
    this.log = s.Log;
    this.lastIncludedIndex = s.LastIncludedIndex;
    this.lastIncludedTerm = s.LastIncludedTerm;
  }

  // ---- the lab API ----------------------------------------------------------------------

  GetState(): [number, boolean] {
    return [this.currentTerm, this.state === LEADER];
  }

  Start(command: unknown): [number, number, boolean] {
    if (this.killed() || this.state !== LEADER) return [-1, this.currentTerm, false];
    this.log.push({ Term: this.currentTerm, Command: command });
    this.persist();
    const index = this.lastLogIndex();
    this.matchIndex[this.me] = index;
    this.broadcastAppendEntries();
    return [index, this.currentTerm, true];
  }

  Snapshot(index: number, snapshot: Uint8Array): void {
    if (index <= this.lastIncludedIndex || index > this.commitIndex) return;
    const term = this.termAt(index);
    this.log = [{ Term: term, Command: null }, ...this.log.slice(index - this.lastIncludedIndex + 1)];
    this.lastIncludedIndex = index;
    this.lastIncludedTerm = term;
    this.snapshot = snapshot;
    this.persist();
  }

  Kill(): void {
    this.dead = true;
  }

  inspect(): RaftView {
    // The log array as it is now: entries are only ever appended to it in place (Start), and
    // every other change makes a new array, so the view's terms stay what they were.
    const log = this.log;
    const base = this.lastIncludedIndex;
    const lastIndex = base + log.length - 1;
    return {
      currentTerm: this.currentTerm,
      votedFor: this.votedFor,
      commitIndex: this.commitIndex,
      snapshotIndex: base,
      snapshotTerm: this.lastIncludedTerm,
      lastIndex,
      termAt: (i: number) => log[i - base]!.Term,
    };
  }

  // ---- the ticker: elections and heartbeats -----------------------------------------------

  async ticker(): Promise<void> {
    while (!this.killed()) {
      await sleep(TICK_MS);
      if (this.killed()) return;
      if (this.state === LEADER) {
        if (now() - this.lastBroadcast >= HEARTBEAT_MS) this.broadcastAppendEntries();
      } else if (now() - this.lastHeard >= this.electionTimeout) {
        this.startElection();
      }
    }
  }

  startElection(): void {
    this.state = CANDIDATE;
    this.currentTerm++;
    this.votedFor = this.me;
    this.persist();
    this.resetElectionTimer();
    const term = this.currentTerm;
    const args: RequestVoteArgs = {
      Term: term,
      CandidateId: this.me,
      LastLogIndex: this.lastLogIndex(),
      LastLogTerm: this.termAt(this.lastLogIndex()),
    };
    let votes = 1;
    for (let i = 0; i < this.peers.length; i++) {
      if (i === this.me) continue;
      go(`vote ${this.me}->${i}`, async () => {
        const reply = {} as RequestVoteReply;
        const ok = await this.peers[i]!.Call("Raft.RequestVote", args, reply);
        if (!ok || this.killed()) return;
        if (reply.Term > this.currentTerm) {
          this.becomeFollower(reply.Term);
          this.resetElectionTimer();
          return;
        }
        if (this.state !== CANDIDATE || this.currentTerm !== term) return;
        if (reply.VoteGranted) {
          votes++;
          if (votes * 2 > this.peers.length) this.becomeLeader();
        }
      });
    }
  }

  becomeLeader(): void {
    this.state = LEADER;
    for (let i = 0; i < this.peers.length; i++) {
      this.nextIndex[i] = this.lastLogIndex() + 1;
      this.matchIndex[i] = 0;
    }
    this.matchIndex[this.me] = this.lastLogIndex();
    this.broadcastAppendEntries();
  }

  RequestVote(args: RequestVoteArgs, reply: RequestVoteReply): void {
    if (args.Term > this.currentTerm) this.becomeFollower(args.Term);
    reply.Term = this.currentTerm;
    reply.VoteGranted = false;
    if (args.Term < this.currentTerm) return;
    const myLastTerm = this.termAt(this.lastLogIndex());
    const upToDate = args.LastLogTerm > myLastTerm || (args.LastLogTerm === myLastTerm && args.LastLogIndex >= this.lastLogIndex());
    if ((this.votedFor === -1 || this.votedFor === args.CandidateId) && upToDate) {
      this.votedFor = args.CandidateId;
      this.persist();
      this.resetElectionTimer();
      reply.VoteGranted = true;
    }
  }

  // ---- replication ----------------------------------------------------------------------

  broadcastAppendEntries(): void {
    this.lastBroadcast = now();
    const term = this.currentTerm;
    for (let i = 0; i < this.peers.length; i++) {
      if (i === this.me) continue;
      go(`append ${this.me}->${i}`, () => this.sendToPeer(i, term));
    }
  }

  async sendToPeer(peer: number, term: number): Promise<void> {
    if (this.killed() || this.state !== LEADER || this.currentTerm !== term) return;
    const prev = this.nextIndex[peer]! - 1;
    if (prev < this.lastIncludedIndex) {
      await this.sendSnapshot(peer, term);
      return;
    }
    const args: AppendEntriesArgs = {
      Term: term,
      LeaderId: this.me,
      PrevLogIndex: prev,
      PrevLogTerm: this.termAt(prev),
      Entries: this.log.slice(prev - this.lastIncludedIndex + 1),
      LeaderCommit: this.commitIndex,
    };
    const reply = {} as AppendEntriesReply;
    const ok = await this.peers[peer]!.Call("Raft.AppendEntries", args, reply);
    if (!ok || this.killed()) return;
    if (reply.Term > this.currentTerm) {
      this.becomeFollower(reply.Term);
      this.resetElectionTimer();
      return;
    }
    if (this.state !== LEADER || this.currentTerm !== term) return;
    if (reply.Success) {
      const match = prev + args.Entries.length;
      if (match > this.matchIndex[peer]!) this.matchIndex[peer] = match;
      if (match + 1 > this.nextIndex[peer]!) this.nextIndex[peer] = match + 1;
      this.advanceCommitIndex();
      return;
    }
    // Fast backup (the Students' Guide's XTerm / XIndex / XLen).
    if (reply.XTerm === -1) {
      this.nextIndex[peer] = reply.XLen;
    } else {
      let last = -1;
      for (let i = this.lastLogIndex(); i > this.lastIncludedIndex; i--) {
        const t = this.termAt(i);
        if (t === reply.XTerm) {
          last = i;
          break;
        }
        if (t < reply.XTerm) break;
      }
      this.nextIndex[peer] = last !== -1 ? last + 1 : reply.XIndex;
    }
    if (this.nextIndex[peer]! < 1) this.nextIndex[peer] = 1;
    go(`append retry ${this.me}->${peer}`, () => this.sendToPeer(peer, term));
  }

  advanceCommitIndex(): void {
    for (let n = this.lastLogIndex(); n > this.commitIndex && n > this.lastIncludedIndex; n--) {
      if (this.termAt(n) !== this.currentTerm) break;
      let count = 0;
      for (let i = 0; i < this.peers.length; i++) if (this.matchIndex[i]! >= n) count++;
      if (count * 2 > this.peers.length) {
        this.commitIndex = n;
        return;
      }
    }
  }

  AppendEntries(args: AppendEntriesArgs, reply: AppendEntriesReply): void {
    reply.Success = false;
    reply.XTerm = -1;
    reply.XIndex = -1;
    reply.XLen = -1;
    if (args.Term < this.currentTerm) {
      reply.Term = this.currentTerm;
      return;
    }
    if (args.Term > this.currentTerm || this.state !== FOLLOWER) this.becomeFollower(args.Term);
    reply.Term = this.currentTerm;
    this.resetElectionTimer();

    let prev = args.PrevLogIndex;
    let entries = args.Entries;
    if (prev < this.lastIncludedIndex) {
      // Everything up to the snapshot is committed and matches; skip what it covers.
      const skip = this.lastIncludedIndex - prev;
      if (skip >= entries.length) {
        reply.Success = true;
        return;
      }
      entries = entries.slice(skip);
      prev = this.lastIncludedIndex;
    } else {
      if (prev > this.lastLogIndex()) {
        reply.XLen = this.lastLogIndex() + 1;
        return;
      }
      if (this.termAt(prev) !== args.PrevLogTerm) {
        const xTerm = this.termAt(prev);
        let first = prev;
        while (first - 1 > this.lastIncludedIndex && this.termAt(first - 1) === xTerm) first--;
        reply.XTerm = xTerm;
        reply.XIndex = first;
        return;
      }
    }
    let changed = false;
    for (let i = 0; i < entries.length; i++) {
      const index = prev + 1 + i;
      if (index > this.lastLogIndex() || this.termAt(index) !== entries[i]!.Term) {
        this.log = this.log.slice(0, index - this.lastIncludedIndex).concat(entries.slice(i));
        changed = true;
        break;
      }
    }
    if (changed) this.persist();
    if (args.LeaderCommit > this.commitIndex) {
      this.commitIndex = Math.min(args.LeaderCommit, prev + entries.length);
    }
    reply.Success = true;
  }

  // ---- snapshots ------------------------------------------------------------------------

  async sendSnapshot(peer: number, term: number): Promise<void> {
    const args: InstallSnapshotArgs = {
      Term: term,
      LeaderId: this.me,
      LastIncludedIndex: this.lastIncludedIndex,
      LastIncludedTerm: this.lastIncludedTerm,
      Data: this.snapshot,
    };
    const reply = {} as InstallSnapshotReply;
    const ok = await this.peers[peer]!.Call("Raft.InstallSnapshot", args, reply);
    if (!ok || this.killed()) return;
    if (reply.Term > this.currentTerm) {
      this.becomeFollower(reply.Term);
      this.resetElectionTimer();
      return;
    }
    if (this.state !== LEADER || this.currentTerm !== term) return;
    if (args.LastIncludedIndex > this.matchIndex[peer]!) this.matchIndex[peer] = args.LastIncludedIndex;
    if (args.LastIncludedIndex + 1 > this.nextIndex[peer]!) this.nextIndex[peer] = args.LastIncludedIndex + 1;
  }

  InstallSnapshot(args: InstallSnapshotArgs, reply: InstallSnapshotReply): void {
    if (args.Term < this.currentTerm) {
      reply.Term = this.currentTerm;
      return;
    }
    if (args.Term > this.currentTerm || this.state !== FOLLOWER) this.becomeFollower(args.Term);
    reply.Term = this.currentTerm;
    this.resetElectionTimer();
    const index = args.LastIncludedIndex;
    if (index <= this.commitIndex || index <= this.lastIncludedIndex) return;
    if (index <= this.lastLogIndex() && this.termAt(index) === args.LastIncludedTerm) {
      this.log = [{ Term: args.LastIncludedTerm, Command: null }, ...this.log.slice(index - this.lastIncludedIndex + 1)];
    } else {
      this.log = [{ Term: args.LastIncludedTerm, Command: null }];
    }
    this.lastIncludedIndex = index;
    this.lastIncludedTerm = args.LastIncludedTerm;
    this.snapshot = args.Data;
    this.commitIndex = index;
    this.persist();
    this.pendingSnapshot = { data: args.Data, term: args.LastIncludedTerm, index };
  }

  // ---- the applier: a polling loop --------------------------------------------------------

  async applier(): Promise<void> {
    while (!this.killed()) {
      const snap = this.pendingSnapshot;
      if (snap !== null) {
        this.pendingSnapshot = null;
        if (snap.index > this.lastApplied) this.lastApplied = snap.index;
        await this.applyCh.send({
          CommandValid: false, Command: null, CommandIndex: 0,
          SnapshotValid: true, Snapshot: snap.data, SnapshotTerm: snap.term, SnapshotIndex: snap.index,
        });
        continue;
      }
      if (this.lastApplied < this.commitIndex && this.lastApplied + 1 > this.lastIncludedIndex) {
        const index = this.lastApplied + 1;
        const command = this.log[index - this.lastIncludedIndex]!.Command;
        this.lastApplied = index;
        await this.applyCh.send({
          CommandValid: true, Command: command, CommandIndex: index,
          SnapshotValid: false, Snapshot: new Uint8Array(0), SnapshotTerm: 0, SnapshotIndex: 0,
        });
        continue;
      }
      await sleep(APPLY_POLL_MS);
    }
  }
}

export function Make(peers: ClientEnd[], me: number, persister: Persister, applyCh: Channel<ApplyMsg>): Raft {
  const rf = new Raft(peers, me, persister, applyCh);
  go(`ticker ${me}`, () => rf.ticker());
  go(`applier ${me}`, () => rf.applier());
  return rf;
}
