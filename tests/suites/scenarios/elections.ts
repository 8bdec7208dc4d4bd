// Scenarios on elections: the election restriction (§5.4.1) and the Students' Guide's
// livelock of candidates that can never win.
import { declareExercises } from "../../../src/config/coverage.ts";
import { defineTest, makeConfig, RaftElectionTimeout, type TestContext } from "../../../src/config/index.ts";
import { now, sleep } from "../../../src/sim/index.ts";

/** How many times TestScenarioElectionRestrictionPartB hands an election to outdated logs. */
const RESTRICTION_ROUNDS = 3;

// The election restriction (§5.4.1): a peer whose log lacks a committed entry must not win.
// Five servers; each round: D and E are cut off while L, B, C commit an entry; then L and B
// go away, C restarts (its election timer starts afresh) and joins D and E, whose terms have
// climbed while they were alone. C holds the committed entry and must win; D or E, which
// usually time out first, must be refused by C. A Raft that grants them the vote lets D or E
// lead, and their next entry lands at the committed entry's index: the apply checks report
// it. C winning first proves nothing, so there are several rounds.
export const TestScenarioElectionRestrictionPartB = defineTest("B", "TestScenarioElectionRestrictionPartB", async (t: TestContext) => {
  const servers = 5;
  const cfg = makeConfig(t, servers, false, false);
  cfg.begin("Test (PartB): scenario: outdated logs must not win an election");

  let cmd = 100;
  await cfg.one(++cmd, servers, false);
  for (let round = 0; round < RESTRICTION_ROUNDS; round++) {
    const l = await cfg.checkOneLeader();
    const [b, c, d, e] = [1, 2, 3, 4].map((k) => (l + k) % servers) as [number, number, number, number];
    cfg.disconnect(d);
    cfg.disconnect(e);
    await cfg.one(++cmd, 3, false); // committed on L, B, C only
    await sleep(RaftElectionTimeout); // C learns the commit; D and E keep standing, alone

    cfg.disconnect(l);
    cfg.disconnect(b);
    cfg.crash1(c);
    cfg.start1(c);
    cfg.connect(c);
    cfg.connect(d);
    cfg.connect(e);
    await cfg.one(++cmd, 3, true); // only C may lead: it holds the entry D and E lack

    for (let i = 0; i < servers; i++) cfg.connect(i);
    await cfg.one(++cmd, servers, true);
  }
  cfg.end();
});
declareExercises(TestScenarioElectionRestrictionPartB.name, ["leader-change", "crash-restart"]);

/** Rounds of TestScenarioStaleCandidatesPartB. */
const STALE_ROUNDS = 6;
/** How soon a leader must follow its predecessor's departure: the tester's election allowance. */
const ELECTION_BOUND_MS = RaftElectionTimeout;

// Candidates that can never win (the Students' Guide's livelock): seven servers; each round,
// L leads and D, E, F are cut off while the others commit entries, then L goes away and D, E,
// F come back with outdated logs and high terms. They ask for votes again and again and are
// refused; A, B, C hold every committed entry, and one of them must stand and win within the
// second the tester allows an election. A Raft that resets its election timer on every
// RequestVote, granted or not, keeps A, B and C from standing while the refused candidates
// keep asking (the diagnosis shows the elections the connected majority held).
export const TestScenarioStaleCandidatesPartB = defineTest("B", "TestScenarioStaleCandidatesPartB", async (t: TestContext) => {
  const servers = 7;
  const cfg = makeConfig(t, servers, false, false);
  cfg.begin("Test (PartB): scenario: candidates with outdated logs must not hold up an election");

  let cmd = 100;
  await cfg.one(++cmd, servers, false);
  for (let round = 0; round < STALE_ROUNDS; round++) {
    const l = await cfg.checkOneLeader();
    const stale = [4, 5, 6].map((k) => (l + k) % servers);
    for (const i of stale) cfg.disconnect(i);
    for (let k = 0; k < 3; k++) await cfg.one(++cmd, 4, false);
    await sleep(2 * RaftElectionTimeout); // the cut-off peers' terms climb

    cfg.disconnect(l);
    for (const i of stale) cfg.connect(i);
    const t0 = now();
    while (!cfg.rafts.some((rf, i) => i !== l && rf !== null && cfg.rafts[i]!.GetState()[1])) {
      if (now() - t0 > ELECTION_BOUND_MS) cfg.fatalf(`no leader ${ELECTION_BOUND_MS} ms after the leader left, with ${servers - 1} of ${servers} peers connected: the peers with up-to-date logs must stand while refused candidates keep asking (reset the election timer only for a granted vote)`);
      await sleep(10);
    }
    await cfg.one(++cmd, servers - 1, true);
    cfg.connect(l);
    await cfg.one(++cmd, servers, true);
  }
  cfg.end();
});
declareExercises(TestScenarioStaleCandidatesPartB.name, ["leader-partitioned", "leader-change"]);

/** How long TestScenarioStableLeaderPartA watches an idle, healthy cluster. */
const STABLE_MS = 10_000;

// A healthy cluster keeps its leader (Figure 2: a follower that hears from its leader does
// not stand; the Students' Guide: reset the election timer on an AppendEntries from the
// current leader). Five servers, a reliable network, no failures at all: after the first
// election the term must not change while the cluster idles and while it commits. MIT's
// TestInitialElection only warns when the term changes without failures; here it fails,
// with the diagnosis of the elections held. A Raft whose heartbeats do not reset the
// followers' election timers holds an election every few hundred milliseconds.
export const TestScenarioStableLeaderPartA = defineTest("A", "TestScenarioStableLeaderPartA", async (t: TestContext) => {
  const servers = 5;
  const cfg = makeConfig(t, servers, false, false);
  cfg.begin("Test (PartA): scenario: a healthy cluster keeps its leader");

  const leader = await cfg.checkOneLeader();
  const term = cfg.checkTerms();
  for (let waited = 0; waited < STABLE_MS; waited += RaftElectionTimeout / 2) {
    await sleep(RaftElectionTimeout / 2);
    const now1 = cfg.checkTerms();
    if (now1 !== term) cfg.fatalf(`the term changed from ${term} to ${now1} with no failure at all (leader ${leader} was never cut off): followers must not stand while their leader's heartbeats arrive`);
  }
  cfg.end();
});
declareExercises(TestScenarioStableLeaderPartA.name, ["leader-elected"]);
