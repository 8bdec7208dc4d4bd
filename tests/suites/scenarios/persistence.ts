// Scenarios on persistence (Figure 2: "updated on stable storage before responding to RPCs").
import { declareExercises } from "../../../src/config/coverage.ts";
import { defineTest, makeConfig, RaftElectionTimeout, type TestContext } from "../../../src/config/index.ts";
import { sleep } from "../../../src/sim/index.ts";

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
declareExercises(TestVoteSurvivesCrashScriptedPartC.name, ["crash-restart", "leader-change"]);

// An acknowledged entry survives its followers' crash, in two parts. Five servers.
// (1) The entry was appended at the end: L, F1 and F2 commit 102 while D and E are cut off;
// then F1, F2 and L crash at once. F1 and F2 restart and join D and E: 102 was committed, so
// one of F1 and F2 must still hold it and win, and 102 stays at index 2. A follower that
// acknowledged 102 before saving it restarts without it, D or E (or F1, F2) leads with a log
// lacking 102, and the next entry lands at index 2: the monitor or the apply checks report it.
// (2) The entry replaced a conflicting one: the leader O, cut off, appends 105 alone (it is
// on O's disk); the other four elect N, and O rejoins as N's follower with only N and one
// more peer M connected. N's 106 goes to the index of 105: O replaces 105 with 106 and
// acknowledges it, and N commits 106 with O's and M's acknowledgements. N, M and O crash; O
// restarts and joins the two peers that were cut off, whose logs end before 106's index: O
// must hold 106 and win. A follower that saves its log only when it appends at the end, not
// when it replaces an entry, restarts with 105 instead, wins (its log is the longer) and
// leads without 106, committed in an earlier term: the monitor reports it.
export const TestScenarioAckedEntrySurvivesCrashPartC = defineTest("C", "TestScenarioAckedEntrySurvivesCrashPartC", async (t: TestContext) => {
  const servers = 5;
  const cfg = makeConfig(t, servers, false, false);
  cfg.begin("Test (PartC): scenario: an acknowledged entry survives the crash of its followers");

  await cfg.one(101, servers, false);
  const l = await cfg.checkOneLeader();
  const [f1, f2, d, e] = [1, 2, 3, 4].map((k) => (l + k) % servers) as [number, number, number, number];
  cfg.disconnect(d);
  cfg.disconnect(e);
  await cfg.one(102, 3, false);
  await sleep(RaftElectionTimeout / 10); // a heartbeat: the followers learn the commit

  cfg.crash1(f1);
  cfg.crash1(f2);
  cfg.crash1(l);
  cfg.start1(f1);
  cfg.start1(f2);
  for (const i of [f1, f2, d, e]) cfg.connect(i);
  await cfg.one(103, 4, true);

  cfg.start1(l);
  cfg.connect(l);
  await cfg.one(104, servers, true);

  // (2) O's uncommitted 105 is replaced on O by N's 106, which N commits with O's ack.
  const o = await cfg.checkOneLeader();
  const rest = [1, 2, 3, 4].map((k) => (o + k) % servers);
  for (const i of rest) cfg.disconnect(i);
  const [index105, , ok105] = cfg.rafts[o]!.Start(105);
  if (!ok105) cfg.fatalf(`leader ${o} rejected Start(105)`);
  cfg.disconnect(o);
  for (const i of rest) cfg.connect(i);
  const n = await cfg.checkOneLeader();
  const [m, x, y] = rest.filter((i) => i !== n) as [number, number, number];
  cfg.disconnect(x);
  cfg.disconnect(y);
  cfg.connect(o);
  await sleep(RaftElectionTimeout / 2); // O steps down and follows N; 105 is still in its log
  const index106 = await cfg.one(106, 3, true); // on N, M and O
  if (index106 !== index105) cfg.fatalf(`106 was committed at index ${index106}, not at the index of the uncommitted 105 (${index105})`);

  cfg.crash1(n);
  cfg.crash1(m);
  cfg.crash1(o);
  cfg.start1(o);
  for (const i of [o, x, y]) cfg.connect(i);
  await cfg.one(107, 3, true); // only O can win: it must still hold 106

  cfg.start1(n);
  cfg.start1(m);
  for (let i = 0; i < servers; i++) cfg.connect(i);
  await cfg.one(108, servers, true);
  cfg.end();
});
declareExercises(TestScenarioAckedEntrySurvivesCrashPartC.name, ["crash-restart", "crash-in-flight"]);
