// The invariant monitor: this lab's race detector. After every step of the simulation (an
// event and the microtasks it caused) it asks every live peer for its state and checks:
//   - Election Safety: at most one leader per term, over the whole run;
//   - terms never decrease: within an instance, and across a restart against the highest
//     term the peer revealed to others before the crash (in a request that reached a
//     handler or a reply that reached its caller), since a term held only in memory may be
//     lost legally (Figure 2: persist before responding);
// and, watching the network:
//   - one vote per term: two granted RequestVote replies of one voter in one term, to
//     different candidates, that both reached their callers (across restarts);
// and, where an implementation offers `inspect()`, at most every VIEW_CHECK_MS of virtual
// time (these checks cost up to O(log length)):
//   - Log Matching: two logs with an entry of the same index and term agree on all entries
//     up to that index;
//   - State Machine Safety: no two peers commit different terms at the same index;
//   - Leader Completeness: a leader holds every entry committed in an earlier term.
// The tester reports the rest as they happen: apply checks and RPC arguments changed while
// their call was in flight. What killed instances send is not a failure (MIT's harness
// drops it too); the runner prints it as a warning.
// Each violation fails the test at once with one sentence: the property, the peers, index
// and term, the virtual time (the runner adds the seed and the replay command).
// No check may flag what MIT's harness accepts from a correct Raft.
import { decode } from "../labgob/index.ts";
import type { CallRecord, NetworkObserver } from "../labrpc/index.ts";
import type { RaftView } from "../raft/api.ts";
import { SimFailure, type World } from "../sim/index.ts";
import type { Config } from "./config.ts";
import { fmtV } from "./format.ts";

/** Explicit limit: how often (virtual ms) the O(log) view checks run. */
export const VIEW_CHECK_MS = 10;

export class Monitor implements NetworkObserver {
  private readonly leaderOf = new Map<number, number>();
  /** The highest term seen from the current instance of each slot (GetState). */
  private readonly maxTerm: number[] = [];
  /** The highest term each slot revealed to another peer, over all its instances. */
  private readonly revealed: number[] = [];
  /** revealed[i] when slot i's current instance started: it must come back with at least this. */
  private readonly floor: number[] = [];
  /** `${voter}:${term}` → the candidate whose granted vote reached it. */
  private readonly grants = new Map<string, number>();
  /** Last observed (term, isLeader, commitIndex) per slot, to record changes for viewers. */
  private readonly seen: Array<{ term: number; leader: boolean; commit: number } | undefined> = [];
  /** committedTerm[idx]: the term of the entry committed at idx, as first seen on committedBy[idx]. */
  private readonly committedTerm: number[] = [];
  /** The currentTerm of the peer on which idx was first seen committed (>= the commit's term). */
  private readonly committedSeenIn: number[] = [];
  private readonly committedBy: number[] = [];
  /** Per slot: committed entries up to here were checked (reset on restart). */
  private readonly scanned: number[] = [];
  /** Per "slot:term" leader: committed entries up to here were found in its log. */
  private readonly leaderChecked = new Map<string, number>();
  private lastViewCheck = -Infinity;

  constructor(private readonly w: World, private readonly cfg: Config) {}

  /** A new instance started in slot i: its state will be recorded afresh. */
  started(i: number): void {
    this.maxTerm[i] = 0;
    this.floor[i] = this.revealed[i] ?? 0;
    this.seen[i] = undefined;
    this.scanned[i] = 0;
    for (const key of [...this.leaderChecked.keys()]) if (key.startsWith(`${i}:`)) this.leaderChecked.delete(key);
  }

  step(): void {
    const cfg = this.cfg;
    for (let i = 0; i < cfg.n; i++) {
      const rf = cfg.rafts[i];
      if (rf === null || rf === undefined) continue;
      const s = rf.GetState();
      if (!Array.isArray(s) || typeof s[0] !== "number" || typeof s[1] !== "boolean") {
        this.violation(`GetState() of peer ${i} returned ${fmtV(s)}, not [term: number, isLeader: boolean]`);
        return;
      }
      const [term, isLeader] = s;
      const before = this.maxTerm[i] ?? 0;
      if (term < before) {
        this.violation(`term went backwards on peer ${i}: from ${before} to ${term} (currentTerm must never decrease)`);
        return;
      }
      const floor = this.floor[i] ?? 0;
      if (term < floor) {
        this.violation(`term went backwards on peer ${i} across a restart: before the crash it had told other peers term ${floor}, and it restarted with term ${term} (persist currentTerm before sending or replying with it)`);
        return;
      }
      this.maxTerm[i] = term;
      const seen = this.seen[i];
      if (seen === undefined || seen.term !== term || seen.leader !== isLeader) {
        this.w.record(i, "election", `term ${term} ${isLeader ? "leader" : "not leader"}`, { ev: "state", term, leader: isLeader });
        if (seen === undefined) this.seen[i] = { term, leader: isLeader, commit: 0 };
        else {
          seen.term = term;
          seen.leader = isLeader;
        }
      }
      if (isLeader) {
        const other = this.leaderOf.get(term);
        if (other === undefined) {
          this.leaderOf.set(term, i);
        } else if (other !== i) {
          this.violation(`Election Safety violated: peers ${other} and ${i} were both leader in term ${term}`);
          return;
        }
      }
    }
    if (this.w.now - this.lastViewCheck >= VIEW_CHECK_MS) {
      this.lastViewCheck = this.w.now;
      this.checkViews();
    }
  }

  /** A request reached its handler: the sender revealed the term it carries. */
  delivered(record: CallRecord, args: unknown): void {
    this.reveal(record.end.owner, termOf(args));
  }

  /** A reply reached its caller: the replier revealed its term, and perhaps granted a vote. */
  replied(record: CallRecord, reply: unknown): void {
    const voter = record.end.target;
    this.reveal(voter, termOf(reply));
    if (!record.svcMeth.endsWith("RequestVote") || !granted(reply)) return;
    const term = termOf(decode(record.sentArgs));
    if (term === undefined) return;
    const candidate = record.end.owner;
    const key = `${voter}:${term}`;
    const before = this.grants.get(key);
    if (before === undefined) this.grants.set(key, candidate);
    else if (before !== candidate) {
      this.violation(`peer ${voter} granted its vote twice in term ${term}: to ${before}, then to ${candidate} (one vote per term: keep votedFor until the term changes, and persist it before granting the vote)`);
    }
  }

  private reveal(i: number, term: number | undefined): void {
    if (i >= 0 && term !== undefined && term > (this.revealed[i] ?? 0)) this.revealed[i] = term;
  }

  argsMutated(peer: number, svcMeth: string, id: number, sentAt: number): void {
    this.violation(`peer ${peer} changed the arguments of ${svcMeth} #${id} (sent at ${sentAt} ms) while the call was in flight: build a fresh args object for every call`);
  }

  private violation(msg: string): void {
    this.w.record(-1, "violation", msg);
    this.w.fail(new SimFailure(`${msg} (at ${this.w.now} ms)`, this.w.now, this.w.seed));
  }

  private checkViews(): void {
    const cfg = this.cfg;
    const views: (RaftView | null)[] = [];
    const leaders: number[] = [];
    for (let i = 0; i < cfg.n; i++) {
      const rf = cfg.rafts[i];
      if (rf === null || rf === undefined || typeof rf.inspect !== "function") {
        views.push(null);
        continue;
      }
      const v = rf.inspect!();
      views.push(v);
      const seen = this.seen[i];
      if (seen !== undefined && v.commitIndex !== seen.commit) {
        seen.commit = v.commitIndex;
        this.w.record(i, "commit", `commitIndex ${v.commitIndex}`, { ev: "commit", index: v.commitIndex });
      }
      if (seen?.leader === true) leaders.push(i);
    }
    // State Machine Safety: each peer's newly committed entries against what others committed.
    for (let i = 0; i < views.length; i++) {
      const v = views[i];
      if (v === null || v === undefined) continue;
      const hi = Math.min(v.commitIndex, v.lastIndex);
      for (let idx = Math.max(this.scanned[i] ?? 0, v.snapshotIndex) + 1; idx <= hi; idx++) {
        const term = v.termAt(idx);
        const known = this.committedTerm[idx];
        if (known === undefined) {
          this.committedTerm[idx] = term;
          this.committedSeenIn[idx] = v.currentTerm;
          this.committedBy[idx] = i;
        } else if (known !== term) {
          return this.violation(`State Machine Safety violated: index ${idx} committed with term ${known} on peer ${this.committedBy[idx]} but with term ${term} on peer ${i}`);
        }
      }
      if (hi > (this.scanned[i] ?? 0)) this.scanned[i] = hi;
    }
    // Log Matching, for every pair. Both committed prefixes were checked against the same
    // committed terms above, so only the entries past the smaller commit index can differ.
    for (let a = 0; a < views.length; a++) {
      for (let b = a + 1; b < views.length; b++) {
        const va = views[a];
        const vb = views[b];
        if (va && vb) {
          const bad = logMatchingBreak(va, vb);
          if (bad !== undefined) {
            return this.violation(`Log Matching violated: peers ${a} and ${b} agree on index ${bad.match} (term ${bad.matchTerm}) but differ at index ${bad.index} (terms ${bad.ta} and ${bad.tb})`);
          }
        }
      }
    }
    // Leader Completeness: a leader of term T holds every entry seen committed before T.
    // Each (slot, term) is checked once in full, then only for newly committed entries.
    const maxCommitted = this.committedTerm.length - 1;
    for (const l of leaders) {
      const v = views[l]!;
      const key = `${l}:${v.currentTerm}`;
      for (let idx = Math.max(this.leaderChecked.get(key) ?? 0, v.snapshotIndex) + 1; idx <= maxCommitted; idx++) {
        const c = this.committedTerm[idx];
        if (c === undefined || this.committedSeenIn[idx]! >= v.currentTerm) continue;
        const term = idx <= v.lastIndex ? v.termAt(idx) : undefined;
        if (term !== c) {
          return this.violation(`Leader Completeness violated: leader ${l} of term ${v.currentTerm} lacks index ${idx} (term ${c}), committed in an earlier term`);
        }
      }
      this.leaderChecked.set(key, maxCommitted);
    }
  }
}

/** Finds the highest index past both commit points where the logs hold the same term, then any difference below it. */
function logMatchingBreak(a: RaftView, b: RaftView):
  { match: number; matchTerm: number; index: number; ta: number; tb: number } | undefined {
  const lo = Math.max(a.snapshotIndex, b.snapshotIndex, Math.min(a.commitIndex, b.commitIndex));
  const hi = Math.min(a.lastIndex, b.lastIndex);
  let match = -1;
  for (let idx = hi; idx > lo; idx--) {
    if (a.termAt(idx) === b.termAt(idx)) {
      match = idx;
      break;
    }
  }
  if (match < 0) return undefined;
  const matchTerm = a.termAt(match);
  for (let idx = match - 1; idx > lo; idx--) {
    const ta = a.termAt(idx);
    const tb = b.termAt(idx);
    if (ta !== tb) return { match, matchTerm, index: idx, ta, tb };
  }
  return undefined;
}

/** The term a Raft message carries, under MIT's field name or its lower-case form. */
function termOf(msg: unknown): number | undefined {
  if (msg === null || typeof msg !== "object") return undefined;
  const m = msg as { Term?: unknown; term?: unknown };
  const t = m.Term ?? m.term;
  return typeof t === "number" && Number.isSafeInteger(t) ? t : undefined;
}

/** Whether a RequestVote reply grants the vote (VoteGranted, or voteGranted). */
function granted(reply: unknown): boolean {
  if (reply === null || typeof reply !== "object") return false;
  const r = reply as { VoteGranted?: unknown; voteGranted?: unknown };
  return (r.VoteGranted ?? r.voteGranted) === true;
}
