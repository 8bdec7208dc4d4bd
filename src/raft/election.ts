// Leader election (§5.2 of the paper, the election restriction of §5.4.1).
//
// One ticker task per instance watches the election deadline. A follower or candidate whose
// deadline passes becomes a candidate in a new term and asks every peer for its vote, each
// request in its own task (a call to an unreachable peer may take seconds to fail). The votes
// are counted as they come back; a majority makes the candidate leader, as long as it is still
// a candidate of the same term when the reply arrives.
import { Debug, go, now, sleep } from "../sim/index.ts";
import type { Raft } from "./raft.ts";
import type { RequestVoteArgs, RequestVoteReply } from "./types.ts";

/** The election ticker: starts an election when no leader has been heard from in a while. */
export async function electionTicker(rf: Raft): Promise<void> {
  // Check if a leader election should be started, then pause; time comes from sleep()/now().
  // SOLUTION BEGIN (PartA)
  rf.resetElectionTimer();
  while (!rf.killed()) {
    // Sleep until the deadline as it stands now. Heartbeats and granted votes move the
    // deadline while we sleep; then we simply sleep again for the rest.
    const wait = rf.electionDeadline - now();
    if (wait > 0) {
      await sleep(wait);
      continue;
    }
    if (rf.role === "Leader") {
      rf.resetElectionTimer(); // a leader never times out; look again later
    } else {
      startElection(rf);
    }
  }
  // SOLUTION END
}

// SOLUTION BEGIN (PartA)
/** Becomes a candidate in a new term and asks every other peer for its vote. */
function startElection(rf: Raft): void {
  rf.becomeCandidate();
  const term = rf.currentTerm;
  // One args object for all peers: labrpc encodes it at the call and we never change it.
  const args: RequestVoteArgs = {
    Term: term,
    CandidateId: rf.me,
    LastLogIndex: rf.log.lastIndex(),
    LastLogTerm: rf.log.lastTerm(),
  };
  let votes = 1; // our own
  const majority = Math.floor(rf.peers.length / 2) + 1;
  if (votes >= majority) {
    rf.becomeLeader(); // a cluster of one
    return;
  }
  for (let peer = 0; peer < rf.peers.length; peer++) {
    if (peer === rf.me) continue;
    go(`raft-${rf.me}-vote-T${term}-${peer}`, async () => {
      // The task may start late: ask only while still a live candidate of this term.
      if (rf.killed() || rf.role !== "Candidate" || rf.currentTerm !== term) return;
      const reply: RequestVoteReply = { Term: 0, VoteGranted: false };
      const ok = await rf.peers[peer]!.Call("Raft.RequestVote", args, reply);
      // Anything may have happened while we waited: check before acting on the reply.
      if (!ok || rf.killed()) return;
      if (reply.Term > rf.currentTerm) {
        rf.becomeFollower(reply.Term);
        return;
      }
      if (rf.role !== "Candidate" || rf.currentTerm !== term) return; // a stale reply
      if (!reply.VoteGranted) return;
      votes++;
      if (votes === majority) rf.becomeLeader();
    });
  }
}

/** The election restriction: is a log ending at (lastTerm, lastIndex) at least as up-to-date as ours? */
function candidateUpToDate(rf: Raft, lastTerm: number, lastIndex: number): boolean {
  const myTerm = rf.log.lastTerm();
  return lastTerm > myTerm || (lastTerm === myTerm && lastIndex >= rf.log.lastIndex());
}
// SOLUTION END

/** The RequestVote handler: fills in `reply`. */
export function handleRequestVote(rf: Raft, args: RequestVoteArgs, reply: RequestVoteReply): void {
  // SOLUTION BEGIN (PartA)
  reply.Term = rf.currentTerm;
  reply.VoteGranted = false;
  if (rf.killed()) return;
  if (args.Term < rf.currentTerm) return; // a stale candidate: our term in the reply updates it
  if (args.Term > rf.currentTerm) rf.becomeFollower(args.Term);
  reply.Term = rf.currentTerm;

  if (rf.votedFor !== -1 && rf.votedFor !== args.CandidateId) {
    Debug(rf.me, "vote", "T%d: deny S%d, already voted for S%d", rf.currentTerm, args.CandidateId, rf.votedFor);
    return;
  }
  if (!candidateUpToDate(rf, args.LastLogTerm, args.LastLogIndex)) {
    Debug(rf.me, "vote", "T%d: deny S%d, its log (T%d, %d) is behind ours (T%d, %d)", rf.currentTerm,
      args.CandidateId, args.LastLogTerm, args.LastLogIndex, rf.log.lastTerm(), rf.log.lastIndex());
    return;
  }
  rf.votedFor = args.CandidateId;
  rf.persist(); // the vote must survive a crash before the candidate hears of it
  rf.resetElectionTimer(); // granting a vote defers our own candidacy (Figure 2)
  reply.VoteGranted = true;
  Debug(rf.me, "vote", "T%d: granted vote to S%d", rf.currentTerm, args.CandidateId);
  // SOLUTION END
}
