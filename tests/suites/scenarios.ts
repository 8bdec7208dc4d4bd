// Scripted scenarios: tests beyond MIT's 28 that drive the cluster through one exact
// sequence of partitions, so that a bug the random tests meet only on rare seeds is met on
// every seed. They use the same tester and checks as the MIT tests and run against any
// implementation. They are not part of the graded suite (`allTests`).
import { defineTest, makeConfig, RaftElectionTimeout, type TestContext } from "../../src/config/index.ts";
import { sleep } from "../../src/sim/index.ts";

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

// One vote per term across a crash, with 5 servers: a leader L of term T; D crashes while in
// term T; L is cut off, and the other three elect X in term T+1 (both of the others vote for
// X). One of them, P, crashes and restarts: it must still remember its vote. Then D restarts,
// still in term T, and P and D are connected alone: if D's election timer fires first, D asks
// P for its vote in term T+1, and a P that forgot its vote grants a second one in that term
// (the monitor: "voted twice in term"). If P's timer fires first nothing is tested, so a bug
// is caught on some seeds, not all.
export const TestVoteSurvivesCrashScriptedPartC = defineTest("C", "TestVoteSurvivesCrashScriptedPartC", async (t: TestContext) => {
  const servers = 5;
  const cfg = makeConfig(t, servers, false, false);
  cfg.begin("Test (PartC): a vote survives a crash, scripted");

  await cfg.one(101, servers, false);
  const l = await cfg.checkOneLeader();
  const d = (l + 1) % servers;
  cfg.crash1(d);
  cfg.disconnect(l);
  const x = await cfg.checkOneLeader();
  const [p, q] = [2, 3, 4].map((k) => (l + k) % servers).filter((i) => i !== x) as [number, number];
  cfg.crash1(p);
  cfg.start1(p);
  cfg.disconnect(x);
  cfg.disconnect(q);
  cfg.start1(d);
  cfg.connect(d);
  cfg.connect(p);
  await sleep(RaftElectionTimeout);

  for (let i = 0; i < servers; i++) cfg.connect(i);
  await cfg.one(102, servers, true);
  cfg.end();
});

export const scenarios = [TestFigure8ScriptedPartC, TestVoteSurvivesCrashScriptedPartC];
