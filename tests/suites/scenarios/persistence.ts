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

// An acknowledged entry survives its followers' crash. Five servers: L, F1 and F2 commit 102
// while D and E are cut off; then F1, F2 and L crash at once. F1 and F2 restart and join D
// and E: 102 was committed, so one of F1 and F2 must still hold it and win, and 102 stays at
// index 2. A follower that acknowledged 102 before saving it restarts without it, D or E
// (or F1, F2) leads with a log lacking 102, and the next entry lands at index 2: the apply
// checks report it against what L applied.
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
  cfg.end();
});
declareExercises(TestScenarioAckedEntrySurvivesCrashPartC.name, ["crash-restart", "crash-in-flight"]);
