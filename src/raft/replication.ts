// Log replication (§5.3), the commit rule (§5.4.2, Figure 8) and heartbeats.
//
// Leader side. A leader's replication lives for one term: becomeLeader starts a heartbeat
// task that ends as soon as the peer is no longer the leader of that term. Three things make
// the leader send to a follower:
//   - the heartbeat, every HEARTBEAT_INTERVAL ms;
//   - Start(), so agreement doesn't wait for the next heartbeat;
//   - a reply, when the follower is still behind (a rejection backed nextIndex up, or entries
//     arrived while the call was in flight) or the commit index moved.
// Flow control: at most one call is in flight per follower, so in the normal case every entry
// travels to every follower exactly once (TestRPCBytesPartB). Whatever arrives meanwhile is
// sent when the call returns. The one exception is the heartbeat: a call outstanding for a
// whole heartbeat interval is presumed lost (an unreachable peer may take up to 7 s to fail),
// and it does not hold back the next heartbeat.
//
// Follower side: the AppendEntries handler, with the consistency check, conflict truncation
// (never truncating on a mere duplicate: requests can arrive out of order) and the fast
// backup hints XTerm/XIndex/XLen.
import { Debug, go, now, sleep } from "../sim/index.ts";
import type { Raft } from "./raft.ts";
import { sendInstallSnapshot } from "./snapshot.ts";
import type { AppendEntriesArgs, AppendEntriesReply } from "./types.ts";

/** Called by becomeLeader: starts this term's heartbeats (which begin at once). */
export function startReplication(rf: Raft): void {
  // SOLUTION BEGIN (PartA)
  const term = rf.currentTerm;
  go(`raft-${rf.me}-heartbeat-T${term}`, () => heartbeatLoop(rf, term));
  // SOLUTION END
}

// SOLUTION BEGIN (PartA)
/** Sends a heartbeat round every rf.heartbeatInterval ms while this peer leads `term`. */
async function heartbeatLoop(rf: Raft, term: number): Promise<void> {
  while (rf.isLeaderOf(term)) {
    for (let peer = 0; peer < rf.peers.length; peer++) {
      if (peer !== rf.me) replicateTo(rf, peer, true);
    }
    await sleep(rf.heartbeatInterval);
  }
}
// SOLUTION END

/** Brings every follower up to date now (new entries, a new commit index). */
export function replicateToAll(rf: Raft): void {
  // SOLUTION BEGIN (PartB)
  for (let peer = 0; peer < rf.peers.length; peer++) {
    if (peer !== rf.me) replicateTo(rf, peer, false);
  }
  // SOLUTION END
}

// SOLUTION BEGIN (PartA)
/**
 * Sends `peer` what it is missing (AppendEntries, or InstallSnapshot if the entries it needs
 * are compacted away), unless a call to it is already in flight: then remember to send again
 * when that call returns. A heartbeat goes out anyway once the call in flight is a full
 * heartbeat interval old.
 */
function replicateTo(rf: Raft, peer: number, heartbeat: boolean): void {
  if (rf.killed() || rf.role !== "Leader") return;
  if (rf.inFlight[peer] && !(heartbeat && now() - rf.sentAt[peer]! >= rf.heartbeatInterval)) {
    rf.sendAgain[peer] = true;
    return;
  }
  const term = rf.currentTerm;
  const seq = ++rf.sendSeq[peer]!;
  rf.inFlight[peer] = true;
  rf.sendAgain[peer] = false;
  rf.sentAt[peer] = now();
  go(`raft-${rf.me}-replicate-T${term}-${peer}`, async () => {
    // A task may start later than it was started (Go's scheduler; raftlab's race mode): by
    // then this peer may have been killed or lost its leadership.
    if (!rf.isLeaderOf(term)) return;
    const progressed = rf.nextIndex[peer]! <= rf.log.snapshotIndex
      ? await sendInstallSnapshot(rf, peer, term)
      : await sendAppendEntries(rf, peer, term);
    if (!rf.isLeaderOf(term) || rf.sendSeq[peer] !== seq) return; // stale: a newer call owns the slot
    rf.inFlight[peer] = false;
    // After a failed call, the next heartbeat retries; after an answer, keep going while
    // the follower is behind or something new came up while we waited.
    if (progressed && (rf.sendAgain[peer] || rf.nextIndex[peer]! <= rf.log.lastIndex())) {
      replicateTo(rf, peer, false);
    }
  });
}

/**
 * Sends one AppendEntries with everything from nextIndex[peer] on, and processes the reply.
 * Returns true if the follower answered and we are still its leader.
 */
async function sendAppendEntries(rf: Raft, peer: number, term: number): Promise<boolean> {
  const args = rf.appendEntriesArgs(peer, term); // a fresh object with a fresh Entries array
  const reply: AppendEntriesReply = { Term: 0, Success: false, XTerm: -1, XIndex: -1, XLen: 0 };
  const ok = await rf.peers[peer]!.Call("Raft.AppendEntries", args, reply);

  // The world moved on while we waited: re-check everything this reply would act on.
  if (!ok || rf.killed()) return false;
  if (reply.Term > rf.currentTerm) {
    rf.becomeFollower(reply.Term);
    return false;
  }
  if (!rf.isLeaderOf(term)) return false;

  if (reply.Success) {
    // Monotonic updates: a late reply for a shorter prefix must not move anything back.
    const match = args.PrevLogIndex + args.Entries.length;
    if (match > rf.matchIndex[peer]!) rf.matchIndex[peer] = match;
    if (match + 1 > rf.nextIndex[peer]!) rf.nextIndex[peer] = match + 1;
    advanceCommitIndex(rf);
    return true;
  }
  // A rejection counts only if nextIndex is still where this call started from.
  if (rf.nextIndex[peer] !== args.PrevLogIndex + 1) return true;
  const next = backup(rf, args, reply);
  Debug(rf.me, "append", "T%d: S%d rejected prev %d, nextIndex -> %d (XTerm %d XIndex %d XLen %d)",
    term, peer, args.PrevLogIndex, next, reply.XTerm, reply.XIndex, reply.XLen);
  rf.nextIndex[peer] = next;
  return true;
}
// SOLUTION END

// SOLUTION BEGIN (PartB)
/** Fast log backup: where nextIndex goes after a rejection, skipping a term per round trip. */
function backup(rf: Raft, args: AppendEntriesArgs, reply: AppendEntriesReply): number {
  let next: number;
  if (reply.XTerm === -1) {
    next = reply.XLen; // the follower's log is too short: resume at its end
  } else {
    const last = rf.log.lastIndexOfTerm(reply.XTerm);
    // If we have XTerm, the follower may match up to our last entry of it; otherwise its
    // whole run of XTerm entries is wrong.
    next = last > 0 ? last + 1 : reply.XIndex;
  }
  // Always strictly backwards, never below 1 (whatever a confused reply says).
  return Math.max(1, Math.min(next, args.PrevLogIndex));
}
// SOLUTION END

/**
 * The leader's commit rule: commitIndex moves to the highest N replicated on a majority whose
 * entry is of the current term (Figure 8: entries of earlier terms are never committed by
 * counting replicas, only implicitly, below a current-term entry).
 */
export function advanceCommitIndex(rf: Raft): void {
  // SOLUTION BEGIN (PartB)
  if (rf.role !== "Leader") return;
  const majority = Math.floor(rf.peers.length / 2) + 1;
  for (let n = rf.log.lastIndex(); n > rf.commitIndex; n--) {
    if (!rf.mayCommitByCounting(n)) break; // not of our term: nor is anything further down
    let count = 1; // ourselves: the entry is in our log
    for (let peer = 0; peer < rf.peers.length; peer++) {
      if (peer !== rf.me && rf.matchIndex[peer]! >= n) count++;
    }
    if (count >= majority) {
      Debug(rf.me, "commit", "T%d: commitIndex %d -> %d", rf.currentTerm, rf.commitIndex, n);
      rf.commitIndex = n;
      rf.applyCond.signal();
      replicateToAll(rf); // tell the followers now rather than at the next heartbeat
      return;
    }
  }
  // SOLUTION END
}

/** The AppendEntries handler: fills in `reply`. */
export function handleAppendEntries(rf: Raft, args: AppendEntriesArgs, reply: AppendEntriesReply): void {
  // SOLUTION BEGIN (PartA)
  reply.Term = rf.currentTerm;
  reply.Success = false;
  if (rf.killed()) return;
  if (args.Term < rf.currentTerm) return; // a stale leader: our term in the reply deposes it
  // The leader of args.Term is alive: follow it (a candidate of that term gives up).
  rf.becomeFollower(args.Term);
  rf.resetElectionTimer();
  reply.Term = rf.currentTerm;
  // SOLUTION END
  // SOLUTION BEGIN (PartB)
  reply.XTerm = -1;
  reply.XIndex = -1;
  reply.XLen = rf.log.lastIndex() + 1;

  let prevIndex = args.PrevLogIndex;
  let entries = args.Entries;
  if (prevIndex < rf.log.snapshotIndex) {
    // Our snapshot already covers (committed, hence matching) entries up to snapshotIndex:
    // skip the part of the request it covers and check consistency at its end instead.
    const covered = rf.log.snapshotIndex - prevIndex;
    if (covered >= entries.length) {
      reply.Success = true; // nothing new; everything the leader sent is in the snapshot
      return;
    }
    entries = entries.slice(covered);
    prevIndex = rf.log.snapshotIndex;
  } else if (prevIndex > rf.log.lastIndex()) {
    Debug(rf.me, "append", "T%d: reject AE from S%d: no entry at prev %d (last %d)",
      rf.currentTerm, args.LeaderId, prevIndex, rf.log.lastIndex());
    return; // XTerm = -1, XLen = our length
  } else if (rf.log.term(prevIndex) !== args.PrevLogTerm) {
    reply.XTerm = rf.log.term(prevIndex);
    reply.XIndex = rf.log.firstIndexOfTerm(prevIndex);
    Debug(rf.me, "append", "T%d: reject AE from S%d: term %d at prev %d, leader has %d",
      rf.currentTerm, args.LeaderId, reply.XTerm, prevIndex, args.PrevLogTerm);
    return;
  }

  // Our log matches the leader's up to prevIndex. Append the entries we don't have. Only a
  // conflict (same index, different term) truncates: a late, shorter request must not erase
  // entries that a newer one already added.
  for (let k = 0; k < entries.length; k++) {
    const index = prevIndex + 1 + k;
    if (index <= rf.log.lastIndex() && rf.log.term(index) === entries[k]!.Term) continue;
    if (index <= rf.log.lastIndex()) rf.log.truncateFrom(index);
    rf.log.append(entries.slice(k));
    rf.persist(); // before the reply tells the leader we hold them
    break;
  }
  reply.Success = true;

  // Commit what the leader has committed, but only as far as this request proves we match.
  const lastNew = prevIndex + entries.length;
  const commit = Math.min(args.LeaderCommit, lastNew);
  if (commit > rf.commitIndex) {
    Debug(rf.me, "commit", "T%d: commitIndex %d -> %d (leader S%d)", rf.currentTerm, rf.commitIndex, commit, args.LeaderId);
    rf.commitIndex = commit;
    rf.applyCond.signal();
  }
  // SOLUTION END
}
