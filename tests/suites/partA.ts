// PartA: leader election (reliable network, no snapshots). Tests 1–3 of MIT 6.5840's
// test_test.go (Spring 2024), transcribed step for step: see spec §5, PartA.
import { defineTest, makeConfig, RaftElectionTimeout, type TestContext } from "../../src/config/index.ts";
import { sleep } from "../../src/sim/index.ts";

// 1. A leader is elected, all peers agree on a term ≥ 1, and with no failures the term stays put.
export const TestInitialElectionPartA = defineTest("A", "TestInitialElectionPartA", async (t: TestContext) => {
  const servers = 3;
  const cfg = makeConfig(t, servers, false, false);

  cfg.begin("Test (PartA): initial election");

  // is a leader elected?
  await cfg.checkOneLeader();

  // sleep a bit to avoid racing with followers learning of the
  // election, then check that all peers agree on the term.
  await sleep(50);
  const term1 = cfg.checkTerms();
  if (term1 < 1) {
    cfg.fatalf(`term is ${term1}, but should be at least 1`);
  }

  // does the leader+term stay the same if there is no network failure?
  await sleep(2 * RaftElectionTimeout);
  const term2 = cfg.checkTerms();
  if (term1 !== term2) {
    cfg.warn("warning: term changed even though there were no failures");
  }

  // there should still be a leader.
  await cfg.checkOneLeader();

  cfg.end();
});

// 2. A new leader is elected when the leader is cut off; no leader without a quorum; rejoining is harmless.
export const TestReElectionPartA = defineTest("A", "TestReElectionPartA", async (t: TestContext) => {
  const servers = 3;
  const cfg = makeConfig(t, servers, false, false);

  cfg.begin("Test (PartA): election after network failure");

  const leader1 = await cfg.checkOneLeader();

  // if the leader disconnects, a new one should be elected.
  cfg.disconnect(leader1);
  await cfg.checkOneLeader();

  // if the old leader rejoins, that shouldn't
  // disturb the new leader. and the old leader
  // should switch to follower.
  cfg.connect(leader1);
  const leader2 = await cfg.checkOneLeader();

  // if there's no quorum, no new leader should
  // be elected.
  cfg.disconnect(leader2);
  cfg.disconnect((leader2 + 1) % servers);
  await sleep(2 * RaftElectionTimeout);

  // check that the one connected server
  // does not think it is the leader.
  cfg.checkNoLeader();

  // if a quorum arises, it should elect a leader.
  cfg.connect((leader2 + 1) % servers);
  await cfg.checkOneLeader();

  // re-join of last node shouldn't prevent leader from existing.
  cfg.connect(leader2);
  await cfg.checkOneLeader();

  cfg.end();
});

// 3. With 7 peers, repeatedly cutting off up to 3 random peers always leaves exactly one leader.
export const TestManyElectionsPartA = defineTest("A", "TestManyElectionsPartA", async (t: TestContext) => {
  const servers = 7;
  const cfg = makeConfig(t, servers, false, false);

  cfg.begin("Test (PartA): multiple elections");

  await cfg.checkOneLeader();

  const iters = 10;
  for (let ii = 1; ii < iters; ii++) {
    // disconnect three nodes
    const i1 = cfg.rnd() % servers;
    const i2 = cfg.rnd() % servers;
    const i3 = cfg.rnd() % servers;
    cfg.disconnect(i1);
    cfg.disconnect(i2);
    cfg.disconnect(i3);

    // either the current leader should still be alive,
    // or the remaining four should elect a new one.
    await cfg.checkOneLeader();

    cfg.connect(i1);
    cfg.connect(i2);
    cfg.connect(i3);
  }

  await cfg.checkOneLeader();

  cfg.end();
});

export const partA = [TestInitialElectionPartA, TestReElectionPartA, TestManyElectionsPartA];
