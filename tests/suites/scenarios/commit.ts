// Scenarios on the commit rule (§5.4.2, Figure 8 of the extended Raft paper): an entry of an
// earlier term is committed only below an entry of the leader's own term, however many
// replicas it has, and however it reaches the followers (by counting, or through LeaderCommit).
import { declareExercises } from "../../../src/config/coverage.ts";
import { defineTest, makeConfig, RaftElectionTimeout, type TestContext } from "../../../src/config/index.ts";
import { sleep } from "../../../src/sim/index.ts";

// Figure 8 of the extended Raft paper, step by step, with 5 servers s1..s5:
//  (a) s1 leads term T1 and replicates 102 at index 2 to s2 only;
//  (b) s5 (whoever wins among s3, s4, s5) leads a later term and appends 103 at index 2
//      without replicating it;
//  (c) s1 or s2 leads a still later term and copies 102 to s3: 102 now sits on a majority,
//      but it is from an earlier term, so it must NOT be committed by counting;
//  (d) s5 leads again with s3 and s4 and overwrites index 2 with 103 on s3, then commits.
// A Raft that committed 102 in (c) applied it at index 2, and then applies 103 at index 2:
// the apply checks report it. A correct Raft commits 103 at index 2, never 102.
export const TestFigure8ScriptedPartC = defineTest("C", "TestFigure8ScriptedPartC", async (t: TestContext) => {
  const servers = 5;
  const cfg = makeConfig(t, servers, false, false);
  cfg.begin("Test (PartC): Figure 8, scripted");

  await cfg.one(101, servers, false);
  const s1 = await cfg.checkOneLeader();
  const s2 = (s1 + 1) % servers;
  const rest = [2, 3, 4].map((k) => (s1 + k) % servers);

  // (a) s1 and s2 alone: 102 reaches s2, but no majority.
  for (const i of rest) cfg.disconnect(i);
  const [index102, , ok102] = cfg.rafts[s1]!.Start(102);
  if (!ok102 || index102 !== 2) cfg.fatalf(`leader ${s1} rejected Start(102) or put it at index ${index102}, not 2`);
  await sleep(RaftElectionTimeout / 2);

  // (b) s3, s4, s5 elect a leader, which then appends 103 on its own.
  cfg.disconnect(s1);
  cfg.disconnect(s2);
  for (const i of rest) cfg.connect(i);
  const s5 = await cfg.checkOneLeader();
  for (const i of rest) if (i !== s5) cfg.disconnect(i);
  const [index103, , ok103] = cfg.rafts[s5]!.Start(103);
  if (!ok103 || index103 !== 2) cfg.fatalf(`leader ${s5} rejected Start(103) or put it at index ${index103}, not 2`);
  await sleep(RaftElectionTimeout / 2);
  cfg.disconnect(s5);

  // (c) s1, s2 and s3: only s1 or s2 can win, and they copy 102 to s3.
  const [s3, s4] = rest.filter((i) => i !== s5) as [number, number];
  cfg.connect(s1);
  cfg.connect(s2);
  cfg.connect(s3);
  await cfg.checkOneLeader();
  await sleep(RaftElectionTimeout);

  // (d) s3, s4 and s5: the new majority commits whatever index 2 holds on it.
  cfg.disconnect(s1);
  cfg.disconnect(s2);
  cfg.connect(s4);
  cfg.connect(s5);
  await cfg.one(104, 3, true);

  // Everyone back: all five agree.
  cfg.connect(s1);
  cfg.connect(s2);
  await cfg.one(105, servers, true);
  cfg.end();
});
declareExercises(TestFigure8ScriptedPartC.name, ["uncommitted-leader-change", "leader-change"]);

// A stale LeaderCommit (the bug of the student Raft in seed 000): a new leader must not tell
// its followers to commit entries of earlier terms before it has committed one of its own,
// whatever commit index it carried over. Five servers A..E, partitions only:
//  1. A leads term T1 and replicates 102 at index 2 to B alone;
//  2. X, the leader elected among C, D, E, appends 103 at index 2 in a later term T2 and
//     keeps it to itself: X now holds an entry that conflicts with 102, from a later term;
//  3. B, Y, Z (Y and Z the other two of C, D, E): only B can win (its log is longer), and it
//     copies 102 to Y and Z. 102 sits on B, Y, Z (and A), a majority, but it is of T1: it must
//     not be committed, and no Start() gives B an entry of its own term to commit it under;
//  4. X, Y, Z: only X can win (its last term T2 beats T1), and it overwrites index 2 with 103
//     and commits it. A Raft whose followers applied 102 in step 3 now applies 103 at index 2:
//     the apply checks report it. A correct Raft never commits 102.
export const TestScenarioStaleLeaderCommitPartB = defineTest("B", "TestScenarioStaleLeaderCommitPartB", async (t: TestContext) => {
  const servers = 5;
  const cfg = makeConfig(t, servers, false, false);
  cfg.begin("Test (PartB): scenario: a new leader's LeaderCommit must not cover entries of earlier terms");

  await cfg.one(101, servers, false);
  const a = await cfg.checkOneLeader();
  const b = (a + 1) % servers;
  const cde = [2, 3, 4].map((k) => (a + k) % servers);

  // 1. A and B alone: 102 reaches B only.
  for (const i of cde) cfg.disconnect(i);
  const [index102, , ok102] = cfg.rafts[a]!.Start(102);
  if (!ok102 || index102 !== 2) cfg.fatalf(`leader ${a} rejected Start(102) or put it at index ${index102}, not 2`);
  await sleep(RaftElectionTimeout / 2);

  // 2. C, D, E elect X, which appends 103 at index 2 on its own.
  cfg.disconnect(a);
  cfg.disconnect(b);
  for (const i of cde) cfg.connect(i);
  const x = await cfg.checkOneLeader();
  for (const i of cde) if (i !== x) cfg.disconnect(i);
  const [index103, , ok103] = cfg.rafts[x]!.Start(103);
  if (!ok103 || index103 !== 2) cfg.fatalf(`leader ${x} rejected Start(103) or put it at index ${index103}, not 2`);
  await sleep(RaftElectionTimeout / 2);
  cfg.disconnect(x);

  // 3. B, Y, Z: B leads and copies 102 to Y and Z, with nothing of its own term.
  const yz = cde.filter((i) => i !== x);
  cfg.connect(b);
  for (const i of yz) cfg.connect(i);
  const leader3 = await cfg.checkOneLeader();
  if (leader3 !== b) cfg.fatalf(`peer ${leader3} won an election against peer ${b}, whose log is longer (the election restriction, §5.4.1)`);
  await sleep(RaftElectionTimeout);

  // 4. X, Y, Z: X leads and commits 103 at index 2.
  cfg.disconnect(b);
  cfg.connect(x);
  await cfg.one(104, 3, true);

  for (let i = 0; i < servers; i++) cfg.connect(i);
  await cfg.one(105, servers, true);
  cfg.end();
});
declareExercises(TestScenarioStaleLeaderCommitPartB.name, ["uncommitted-leader-change", "leader-change"]);
