// The run summary: a compact, always-on account of a run, folded from its trace events as
// they are recorded (the Trace's observer), so that every run, passing or failing, can say
// what happened without keeping its trace. It feeds two things:
//   - the diagnosis printed below a failure (diagnosis.ts): leaders and terms of the last
//     seconds, elections held while a connected majority existed, late replies, per-peer
//     commit and applied indices, partitions and crashes in force, RPC losses;
//   - the coverage of a run (coverage.ts): which of the faults a test exists to exercise
//     actually happened (an InstallSnapshot delivered, a leader change with uncommitted
//     entries, a crash with RPCs in flight, a stale reply, ...).
// It reads only what the trace carries: the tester's and the network's events, the
// monitor's state changes (term, leader) and, for implementations with inspect(), commit
// indices. RPC arguments are read from the network's one-line summary of them, so the
// checks that need a term or a log index (late replies, backups, uncommitted entries)
// work when the arguments use Figure 2's field names (Term, PrevLogIndex, Entries), as
// MIT's handout and the reference do.
import type { TraceEvent } from "../sim/index.ts";

/** A peer became leader. */
export interface LeaderSpan {
  t: number;
  peer: number;
  term: number;
}

/** The highest term any peer had rose: an election began (whether or not it was won). */
export interface TermRise {
  t: number;
  term: number;
  /** Whether the peer that raised it was connected, with a majority up and connected, at that instant. */
  majorityConnected: boolean;
}

interface PendingRpc {
  from: number;
  to: number;
  method: string;
  /** The Term argument (-1 if the arguments have none). */
  term: number;
  /** AppendEntries: PrevLogIndex and the number of entries (-1 if unknown). */
  prev: number;
  entries: number;
}

export type FailReason = "request lost" | "reply lost" | "unreachable" | "server died" | "network closed";

/** How far back the diagnosis looks, in virtual ms. */
export const RECENT_MS = 5000;
/** A leader that had to back up at least this many entries over one follower's log counts as a long backup. */
export const LONG_BACKUP = 10;

export class RunSummary {
  n = 0;
  now = 0;
  readonly term: number[] = [];
  readonly leader: boolean[] = [];
  readonly connected: boolean[] = [];
  readonly live: boolean[] = [];
  readonly commit: number[] = [];
  readonly applied: number[] = [];
  readonly leaders: LeaderSpan[] = [];
  readonly termRises: TermRise[] = [];
  readonly termsSeen = new Set<number>();
  readonly termsLed = new Set<number>();
  maxTerm = 0;
  maxApplied = 0;

  rpcsSent = 0;
  repliesOk = 0;
  readonly failed = new Map<FailReason, number>();
  private readonly pending = new Map<number, PendingRpc>();
  private readonly pendingOf: number[] = [];

  // ---- the faults coverage.ts asks about --------------------------------------------------
  /** InstallSnapshot requests that reached a follower's handler. */
  installSnapshotsDelivered = 0;
  /** A new leader took over while its predecessor had sent entries no peer had applied. */
  leaderChangesWithUncommitted = 0;
  /** Crashes while a call from or to the crashed peer was still in flight. */
  crashesWithRpcsInFlight = 0;
  /** Replies that reached a caller who had moved to a later term since sending. */
  staleReplies = 0;
  /** Replies that arrived after a reply to a later call between the same two peers. */
  reorderedReplies = 0;
  /** The longest backup over one follower's log: rejected PrevLogIndex minus the accepted one. */
  longestBackup = 0;
  /** A leader was disconnected while it led. */
  leadersPartitioned = 0;
  /** A follower (live, not leader) was disconnected. */
  followersPartitioned = 0;
  /** Fewer than a majority were up and connected, after the cluster had started. */
  majorityLost = 0;
  /** Peers restarted after the tester had given them a snapshot. */
  restartsFromSnapshot = 0;
  /** Every peer was down at once. */
  allCrashed = 0;
  /** Crashes (Kill) of a live instance. */
  crashes = 0;
  /** Snapshots the tester's service handed to Raft. */
  snapshotsTaken = 0;
  /** ApplyMsgs carrying a snapshot that reached the service. */
  snapshotsApplied = 0;
  /** The tester's long-reordering knob is on. */
  longReordering = false;

  private readonly hadSnapshot: boolean[] = [];
  private current: { peer: number; term: number; maxIndex: number } | undefined;
  /** Per (from, to): the highest call id answered so far. */
  private readonly lastReplied = new Map<number, number>();
  /** Per (from, to): the highest PrevLogIndex a follower rejected in the leader's current term. */
  private readonly rejectedPrev = new Map<number, { term: number; prev: number }>();
  private started = false;

  /** The Trace observer. Cheap: a switch on the event's kind, a few array updates. */
  readonly observe = (ev: TraceEvent): void => {
    this.now = ev.t;
    const d = ev.data;
    if (d === undefined) {
      if (ev.topic === "tester") this.testerLine(ev.msg);
      return;
    }
    switch (d.ev) {
      case "send":
        this.send(ev, d);
        return;
      case "reply":
        this.reply(ev, d);
        return;
      case "fail":
        this.fail(d);
        return;
      case "deliver":
        if ((d.method as string).endsWith("InstallSnapshot")) this.installSnapshotsDelivered++;
        return;
      case "state":
        this.state(ev.peer, d.term as number, d.leader as boolean, ev.t);
        return;
      case "commit":
        this.grow(ev.peer);
        this.commit[ev.peer] = d.index as number;
        return;
      case "apply":
        this.grow(ev.peer);
        this.applied[ev.peer] = d.index as number;
        if ((d.index as number) > this.maxApplied) this.maxApplied = d.index as number;
        return;
      case "apply-snapshot":
        this.grow(ev.peer);
        this.snapshotsApplied++;
        this.applied[ev.peer] = d.index as number;
        return;
      case "snapshot":
        this.grow(ev.peer);
        this.snapshotsTaken++;
        this.hadSnapshot[ev.peer] = true;
        return;
      case "connect":
        this.grow(ev.peer);
        this.connected[ev.peer] = true;
        return;
      case "disconnect":
        this.disconnect(ev.peer);
        return;
      case "crash":
        this.crash(ev.peer);
        return;
      case "start":
        this.grow(ev.peer);
        this.live[ev.peer] = true;
        this.term[ev.peer] = 0;
        this.leader[ev.peer] = false;
        this.commit[ev.peer] = 0;
        this.applied[ev.peer] = 0;
        if (this.hadSnapshot[ev.peer] === true) this.restartsFromSnapshot++;
        return;
      default:
        return;
    }
  };

  /** Whether a majority of the peers are up and connected now. */
  majorityUp(): boolean {
    let up = 0;
    for (let i = 0; i < this.n; i++) if (this.live[i] && this.connected[i]) up++;
    return up > this.n / 2;
  }

  failures(): number {
    let k = 0;
    for (const v of this.failed.values()) k += v;
    return k;
  }

  private grow(peer: number): void {
    while (this.n <= peer) {
      this.term.push(0);
      this.leader.push(false);
      this.connected.push(false);
      this.live.push(false);
      this.commit.push(0);
      this.applied.push(0);
      this.pendingOf.push(0);
      this.hadSnapshot.push(false);
      this.n++;
    }
  }

  private testerLine(msg: string): void {
    if (msg === "long reordering on") this.longReordering = true;
    else if (msg === "long reordering off") this.longReordering = false;
    else if (msg.startsWith("begin: ")) this.started = true;
  }

  private state(peer: number, term: number, isLeader: boolean, t: number): void {
    this.grow(peer);
    this.term[peer] = term;
    this.termsSeen.add(term);
    if (term > this.maxTerm) {
      this.maxTerm = term;
      this.termRises.push({ t, term, majorityConnected: this.connected[peer]! && this.live[peer]! && this.majorityUp() });
    }
    if (isLeader && !this.leader[peer]) {
      this.leaders.push({ t, peer, term });
      this.termsLed.add(term);
      const prev = this.current;
      if (prev !== undefined && prev.term < term && prev.maxIndex > this.maxApplied) this.leaderChangesWithUncommitted++;
      this.current = { peer, term, maxIndex: 0 };
    }
    this.leader[peer] = isLeader;
  }

  private send(ev: TraceEvent, d: Record<string, unknown>): void {
    this.rpcsSent++;
    const from = d.from as number;
    const to = d.to as number;
    const method = d.method as string;
    const msg = ev.msg;
    const p: PendingRpc = { from, to, method, term: numberField(msg, " Term="), prev: -1, entries: -1 };
    if (method.endsWith("AppendEntries")) {
      p.prev = numberField(msg, "PrevLogIndex=");
      p.entries = numberField(msg, "Entries=[");
      const cur = this.current;
      if (cur !== undefined && cur.peer === from && cur.term === p.term && p.prev >= 0 && p.entries >= 0) {
        if (p.prev + p.entries > cur.maxIndex) cur.maxIndex = p.prev + p.entries;
      }
    }
    this.pending.set(d.rpc as number, p);
    if (from >= 0) {
      this.grow(from);
      this.pendingOf[from]!++;
    }
    if (to >= 0) {
      this.grow(to);
      this.pendingOf[to]!++;
    }
  }

  private settle(id: number): PendingRpc | undefined {
    const p = this.pending.get(id);
    if (p === undefined) return undefined;
    this.pending.delete(id);
    if (p.from >= 0) this.pendingOf[p.from]!--;
    if (p.to >= 0) this.pendingOf[p.to]!--;
    return p;
  }

  private reply(ev: TraceEvent, d: Record<string, unknown>): void {
    this.repliesOk++;
    const id = d.rpc as number;
    const p = this.settle(id);
    if (p === undefined) return;
    if (p.term >= 0 && p.term < (this.term[p.from] ?? 0)) this.staleReplies++;
    const pair = p.from * 1024 + p.to;
    const last = this.lastReplied.get(pair) ?? 0;
    if (id < last) this.reorderedReplies++;
    else this.lastReplied.set(pair, id);
    if (p.prev >= 0 && p.term >= 0) {
      const rejected = this.rejectedPrev.get(pair);
      if (ev.msg.includes("Success=false")) {
        if (rejected === undefined || rejected.term !== p.term || p.prev > rejected.prev) this.rejectedPrev.set(pair, { term: p.term, prev: p.prev });
      } else if (rejected !== undefined && rejected.term === p.term && ev.msg.includes("Success=true")) {
        if (rejected.prev - p.prev > this.longestBackup) this.longestBackup = rejected.prev - p.prev;
        this.rejectedPrev.delete(pair);
      }
    }
  }

  private fail(d: Record<string, unknown>): void {
    const reason = d.reason as FailReason;
    this.failed.set(reason, (this.failed.get(reason) ?? 0) + 1);
    this.settle(d.rpc as number);
  }

  private disconnect(peer: number): void {
    this.grow(peer);
    if (this.connected[peer] && this.live[peer]) {
      if (this.leader[peer]) this.leadersPartitioned++;
      else this.followersPartitioned++;
    }
    this.connected[peer] = false;
    if (this.started && !this.majorityUp() && this.live.some((l) => l)) this.majorityLost++;
  }

  private crash(peer: number): void {
    this.grow(peer);
    this.crashes++;
    if (this.pendingOf[peer]! > 0) this.crashesWithRpcsInFlight++;
    this.live[peer] = false;
    this.leader[peer] = false;
    if (!this.live.some((l) => l)) this.allCrashed++;
  }
}

/** The integer after `key` in a one-line message ("Term=3 …"), or -1. */
function numberField(msg: string, key: string): number {
  const at = msg.indexOf(key);
  if (at < 0) return -1;
  let v = 0;
  let k = at + key.length;
  const start = k;
  for (; k < msg.length; k++) {
    const c = msg.charCodeAt(k) - 48;
    if (c < 0 || c > 9) break;
    v = v * 10 + c;
  }
  return k === start ? -1 : v;
}
