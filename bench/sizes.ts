// The codec's message sizes and how many log entries fit in MIT's MAXLOGSIZE (2000 bytes), for
// docs/DEVIATIONS.md ("Codec and byte counts").   npx tsx bench/sizes.ts
import { encode } from "../src/labgob/index.ts";
const sz = (v: unknown) => encode(v, "x").length;
console.log("RequestVote args", sz({ Term: 5, CandidateId: 2, LastLogIndex: 17, LastLogTerm: 4 }));
console.log("RequestVote reply", sz({ Term: 5, VoteGranted: true }));
const ae = { Term: 5, LeaderId: 2, PrevLogIndex: 17, PrevLogTerm: 4, Entries: [] as unknown[], LeaderCommit: 12 };
console.log("AppendEntries empty", sz(ae));
console.log("AppendEntries reply (Term, Success)", sz({ Term: 5, Success: true }));
console.log("AppendEntries reply + XTerm XIndex XLen", sz({ Term: 5, Success: false, XTerm: 3, XIndex: 10, XLen: 20 }));
for (const [name, cmd] of [["small int", 100], ["int 1e6", 1_000_000], ["rand 2^53", 8_123_456_789_012_345], ["string 'x'*10", "xxxxxxxxxx"]] as const) {
  const e = { Term: 3, Command: cmd };
  const t = [3, cmd];
  const fit = (mk: (i: number) => unknown) => { let n = 0; while (sz({ CurrentTerm: 3, VotedFor: 1, Log: Array.from({ length: n + 1 }, (_, i) => mk(i)) }) <= 2000) n++; return n; };
  console.log(`entry ${name}: object ${sz(e)} B, tuple ${sz(t)} B; AE with one entry ${sz({ ...ae, Entries: [e] })}; fit in 2000 B: objects ${fit(() => e)}, tuples ${fit(() => t)}`);
}
console.log("InstallSnapshot args, 2000-byte snapshot", sz({ Term: 5, LeaderId: 2, LastIncludedIndex: 100, LastIncludedTerm: 4, Data: new Uint8Array(2000) }));
