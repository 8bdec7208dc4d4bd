// The invariant monitor: this lab's race detector. After every step of the simulation (an
// event and the microtasks it caused) it asks every live peer for its state and checks:
//   - Election Safety: at most one leader per term, over the whole run;
//   - terms never decrease on a server, across restarts included;
// and, where an implementation offers `inspect()`, at most every VIEW_CHECK_MS of virtual
// time (these checks cost O(log length)):
//   - Log Matching: two logs with an entry of the same index and term agree on all entries
//     up to that index;
//   - State Machine Safety: no two peers commit different terms at the same index;
//   - Leader Completeness: a leader holds every entry committed in an earlier term.
// The tester reports the rest as they happen: apply checks, sends and applies by killed
// instances, RPC arguments changed while their call was in flight.
// Each violation fails the test at once with one sentence: the property, the peers, index
// and term, the virtual time (the runner adds the seed and the replay command).
import type { RaftView } from "../raft/api.ts";
import { SimFailure, type World } from "../sim/index.ts";
import type { Config } from "./config.ts";

/** Explicit limit: how often (virtual ms) the O(log) view checks run. */
export const VIEW_CHECK_MS = 10;

export class Monitor {
  private readonly leaderOf = new Map<number, number>();
  private readonly maxTerm: number[];
  /** Last observed (term, isLeader, commitIndex) per slot, to record changes for viewers. */
  private readonly seen: Array<{ term: number; leader: boolean; commit: number } | undefined> = [];
  /** index → [term, the committing peer's currentTerm when first seen committed]. */
  private readonly committed = new Map<number, { term: number; seenInTerm: number; peer: number }>();
  private lastViewCheck = -Infinity;

  constructor(private readonly w: World, private readonly cfg: Config) {
    this.maxTerm = [];
  }

  /** A new instance started in slot i: its state will be recorded afresh. */
  started(i: number): void {
    this.seen[i] = undefined;
  }

  step(): void {
    const cfg = this.cfg;
    for (let i = 0; i < cfg.n; i++) {
      const rf = cfg.rafts[i];
      if (rf === null || rf === undefined) continue;
      const s = cfg.callRaft(i, "GetState", () => rf.GetState());
      if (!Array.isArray(s) || typeof s[0] !== "number" || typeof s[1] !== "boolean") {
        this.violation(`GetState() of peer ${i} returned ${JSON.stringify(s)}, not [term: number, isLeader: boolean]`);
        return;
      }
      const [term, isLeader] = s;
      const before = this.maxTerm[i] ?? 0;
      if (term < before) {
        this.violation(`term went backwards on peer ${i}: from ${before} to ${term} (terms must never decrease, across restarts included: persist currentTerm)`);
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

  /** A killed instance did something. */
  zombie(i: number, what: string, killedAt: number): void {
    this.violation(`peer ${i} ${what} after it was killed at ${killedAt} ms (a killed instance must stop: check killed() after every await)`);
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
      const v = cfg.callRaft(i, "inspect", () => rf.inspect!());
      views.push(v);
      const seen = this.seen[i];
      if (seen !== undefined && v.commitIndex !== seen.commit) {
        seen.commit = v.commitIndex;
        this.w.record(i, "commit", `commitIndex ${v.commitIndex}`, { ev: "commit", index: v.commitIndex });
      }
      if (rf.GetState()[1]) leaders.push(i);
    }
    // State Machine Safety, and the committed set for Leader Completeness.
    for (let i = 0; i < views.length; i++) {
      const v = views[i];
      if (v === null || v === undefined) continue;
      const hi = Math.min(v.commitIndex, v.snapshotIndex + v.terms.length);
      for (let idx = v.snapshotIndex + 1; idx <= hi; idx++) {
        const term = v.terms[idx - v.snapshotIndex - 1]!;
        const known = this.committed.get(idx);
        if (known === undefined) this.committed.set(idx, { term, seenInTerm: v.currentTerm, peer: i });
        else if (known.term !== term) {
          return this.violation(`State Machine Safety violated: index ${idx} committed with term ${known.term} on peer ${known.peer} but with term ${term} on peer ${i}`);
        }
      }
    }
    // Log Matching, for every pair.
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
    // Leader Completeness.
    for (const l of leaders) {
      const v = views[l]!;
      for (const [idx, c] of this.committed) {
        if (c.seenInTerm >= v.currentTerm || idx <= v.snapshotIndex) continue;
        const term = v.terms[idx - v.snapshotIndex - 1];
        if (term !== c.term) {
          return this.violation(`Leader Completeness violated: leader ${l} of term ${v.currentTerm} lacks index ${idx} (term ${c.term}), committed in an earlier term`);
        }
      }
    }
  }
}

function termAt(v: RaftView, idx: number): number | undefined {
  if (idx === v.snapshotIndex) return v.snapshotTerm;
  if (idx < v.snapshotIndex) return undefined; // compacted: known committed, not comparable
  return v.terms[idx - v.snapshotIndex - 1];
}

/** Finds the highest index where both logs hold the same term, then any difference below it. */
function logMatchingBreak(a: RaftView, b: RaftView):
  { match: number; matchTerm: number; index: number; ta: number; tb: number } | undefined {
  const lo = Math.max(a.snapshotIndex, b.snapshotIndex);
  const hi = Math.min(a.snapshotIndex + a.terms.length, b.snapshotIndex + b.terms.length);
  let match = -1;
  for (let idx = hi; idx > lo; idx--) {
    if (termAt(a, idx) === termAt(b, idx)) {
      match = idx;
      break;
    }
  }
  if (match < 0) return undefined;
  const matchTerm = termAt(a, match)!;
  for (let idx = match - 1; idx > lo; idx--) {
    const ta = termAt(a, idx)!;
    const tb = termAt(b, idx)!;
    if (ta !== tb) return { match, matchTerm, index: idx, ta, tb };
  }
  return undefined;
}
