// Scenarios on AppendEntries (Figure 2's receiver rules; the Students' Guide's sections on
// incorrect RPC handlers and accelerated log backtracking).
import { declareExercises } from "../../../src/config/coverage.ts";
import { defineTest, makeConfig, RaftElectionTimeout, type TestContext } from "../../../src/config/index.ts";
import { now, sleep } from "../../../src/sim/index.ts";

/** Rounds of TestScenarioDeposedLeaderPartB; in the last one, the deposed leader's AppendEntries replies are lost. */
const DEPOSED_ROUNDS = 5;
/** How soon C or D must lead once X is gone: the tester's election allowance. */
const DEPOSED_ELECTION_BOUND_MS = RaftElectionTimeout;

// A deposed leader (Figure 2, AppendEntries rule 1: reply false if term < currentTerm; the
// Students' Guide: reset the election timer only on an AppendEntries of the current term).
// Five servers; each round: L leads and is cut off with an uncommitted entry at the next
// index; the other four elect X and commit an entry of their own at that index. Then X and
// the fifth peer are cut off, and L comes back with only C and D (two of X's followers),
// still believing it leads its old term, and sends them its entry. They must refuse it. A
// Raft that accepts it overwrites the committed entry; when both C and D took it (the first
// reply deposes L, so that depends on the order in which L's calls run: hence the rounds),
// the three elect a leader whose log lacks it (the monitor's Leader Completeness) or commit
// L's entry at that index (the apply checks). In the last round C's and D's replies to L's
// AppendEntries are lost (their requests get through), so L never learns it was deposed and
// keeps sending its old term's heartbeats: C or D must still stand and lead within the
// tester's election allowance (the reference needs at most 0.6 s). A Raft that resets its
// election timer on an AppendEntries before checking its term is held up by L for ever.
export const TestScenarioDeposedLeaderPartB = defineTest("B", "TestScenarioDeposedLeaderPartB", async (t: TestContext) => {
  const servers = 5;
  const cfg = makeConfig(t, servers, false, false);
  cfg.begin("Test (PartB): scenario: a deposed leader's AppendEntries must be refused");

  let cmd = 100;
  let index = await cfg.one(++cmd, servers, false);
  for (let round = 0; round < DEPOSED_ROUNDS; round++) {
    const l = await cfg.checkOneLeader();
    cfg.disconnect(l);
    const [at, , ok] = cfg.rafts[l]!.Start(++cmd);
    if (!ok || at !== index + 1) cfg.fatalf(`leader ${l} rejected Start(${cmd}) or put it at index ${at}, not ${index + 1}`);
    index = await cfg.one(++cmd, 4, true); // the other four, under a new leader X
    const x = await cfg.checkOneLeader();
    await sleep(RaftElectionTimeout / 2); // X's followers learn that its entry is committed

    const [c, d] = [1, 2, 3, 4].map((k) => (l + k) % servers).filter((i) => i !== x) as [number, number];
    const repliesLost = round === DEPOSED_ROUNDS - 1;
    for (let i = 0; i < servers; i++) if (i !== c && i !== d) cfg.disconnect(i);
    if (repliesLost) for (const f of [c, d]) cfg.loseReplies(l, f, "Raft.AppendEntries", true);
    cfg.connect(l);
    if (repliesLost) {
      const t0 = now();
      while (![c, d].some((i) => cfg.rafts[i]!.GetState()[1])) {
        if (now() - t0 > DEPOSED_ELECTION_BOUND_MS) cfg.fatalf(`neither ${c} nor ${d} leads ${DEPOSED_ELECTION_BOUND_MS} ms after their leader ${x} left, while the deposed leader ${l} (term ${cfg.rafts[l]!.GetState()[0]}) keeps sending them AppendEntries whose replies are lost: an AppendEntries of an older term must not reset the election timer`);
        await sleep(10);
      }
    } else {
      await sleep(RaftElectionTimeout);
    }
    index = await cfg.one(++cmd, 3, true);

    if (repliesLost) for (const f of [c, d]) cfg.loseReplies(l, f, "Raft.AppendEntries", false);
    for (let i = 0; i < servers; i++) cfg.connect(i);
    index = await cfg.one(++cmd, servers, true);
  }
  cfg.end();
});
declareExercises(TestScenarioDeposedLeaderPartB.name, ["leader-partitioned", "uncommitted-leader-change", "stale-reply"]);

/** Entries the follower of TestScenarioFastBackupPartB holds that conflict with the leader's log. */
const CONFLICTING = 100;
/** RPCs the follower may receive from rejoining to agreement: hints need a few per term. */
const BACKUP_RPC_BOUND = 30;

// Accelerated log backtracking (the Students' Guide; MIT's TestBackup times it in real time,
// which costs nothing here). Five servers: L and F alone take 100 entries that never commit;
// the other three commit 100 of their own in a later term. Then F rejoins the majority: its
// 100 entries conflict with the leader's, all of one term, so a Raft with the conflict hints
// (XTerm, XIndex, XLen) brings it back in a few round trips. One that backs up an entry per
// round trip needs over a hundred AppendEntries.
export const TestScenarioFastBackupPartB = defineTest("B", "TestScenarioFastBackupPartB", async (t: TestContext) => {
  const servers = 5;
  const cfg = makeConfig(t, servers, false, false);
  cfg.begin("Test (PartB): scenario: a leader backs up over a conflicting log in a few RPCs");

  await cfg.one(101, servers, false);
  const l = await cfg.checkOneLeader();
  const f = (l + 1) % servers;
  const rest = [2, 3, 4].map((k) => (l + k) % servers);
  for (const i of rest) cfg.disconnect(i);
  for (let k = 0; k < CONFLICTING; k++) cfg.rafts[l]!.Start(1000 + k);
  await sleep(RaftElectionTimeout / 2);

  cfg.disconnect(l);
  cfg.disconnect(f);
  for (const i of rest) cfg.connect(i);
  for (let k = 0; k < CONFLICTING; k++) await cfg.one(2000 + k, 3, true);

  const before = cfg.rpcCount(f);
  cfg.connect(f);
  await cfg.one(3000, 4, true);
  const rpcs = cfg.rpcCount(f) - before;
  if (rpcs > BACKUP_RPC_BOUND) cfg.fatalf(`follower ${f} needed ${rpcs} RPCs (more than ${BACKUP_RPC_BOUND}) to replace ${CONFLICTING} conflicting entries of one term: back up a term per round trip (XTerm, XIndex, XLen)`);

  cfg.connect(l);
  await cfg.one(3001, servers, true);
  cfg.end();
});
declareExercises(TestScenarioFastBackupPartB.name, ["long-backup", "uncommitted-leader-change"]);

/** Rounds of TestScenarioLateReplyPartB. */
const LATE_REPLY_ROUNDS = 3;

// A late reply (the Students' Guide: term confusion; Figure 2: matchIndex is what the
// follower is known to hold). Three servers, long reordering on, so most replies arrive
// 0.2–2.2 s late. Each round: L sends an entry to F1 and F2, whose replies are held back;
// F1 and F2 are cut off, and L appends a second entry that only it holds. When the late
// replies arrive, they prove F1 and F2 hold the first entry, and nothing more: a Raft that
// counts them for the second one commits an entry held by L alone; F1 and F2 then elect a
// leader of their own and commit something else at that index (the apply checks).
export const TestScenarioLateReplyPartB = defineTest("B", "TestScenarioLateReplyPartB", async (t: TestContext) => {
  const servers = 3;
  const cfg = makeConfig(t, servers, false, false);
  cfg.begin("Test (PartB): scenario: a late reply proves only what its request carried");

  let cmd = 100;
  await cfg.one(++cmd, servers, false);
  for (let round = 0; round < LATE_REPLY_ROUNDS; round++) {
    const l = await cfg.checkOneLeader();
    const [f1, f2] = [1, 2].map((k) => (l + k) % servers) as [number, number];
    cfg.setLongReordering(true);
    cfg.rafts[l]!.Start(++cmd); // reaches F1 and F2; their replies are (mostly) held back
    await sleep(5);
    cfg.disconnect(f1);
    cfg.disconnect(f2);
    cfg.rafts[l]!.Start(++cmd); // held by L alone
    await sleep(3 * RaftElectionTimeout); // the late replies arrive
    cfg.setLongReordering(false);

    cfg.disconnect(l);
    cfg.connect(f1);
    cfg.connect(f2);
    await cfg.one(++cmd, 2, true);
    cfg.connect(l);
    await cfg.one(++cmd, servers, true);
  }
  cfg.end();
});
declareExercises(TestScenarioLateReplyPartB.name, ["reordered-reply", "uncommitted-leader-change"]);
