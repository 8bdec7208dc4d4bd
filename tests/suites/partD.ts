// PartD: snapshots (applierSnap; the tester snapshots every SnapShotInterval applied commands).
// Tests 22–28 of MIT 6.5840's test_test.go (Spring 2024), transcribed step for step: see
// spec §5, PartD. Every config here is made with snapshot = true, so start1 restarts a peer
// with applierSnap.
import { defineTest, makeConfig, SnapShotInterval, MAXLOGSIZE, type TestContext } from "../../src/config/index.ts";

// The body of tests 22–26 (Go's snapcommon): 30 rounds of Start()s that force snapshots, with a
// disconnected or crashed victim on request; the persisted Raft state must stay below MAXLOGSIZE.
async function snapcommon(t: TestContext, name: string, disconnect: boolean, reliable: boolean, crash: boolean): Promise<void> {
  const iters = 30;
  const servers = 3;
  const cfg = makeConfig(t, servers, !reliable, true);

  cfg.begin(name);

  await cfg.one(cfg.rnd(), servers, true);
  let leader1 = await cfg.checkOneLeader();

  for (let i = 0; i < iters; i++) {
    let victim = (leader1 + 1) % servers;
    let sender = leader1;
    if (i % 3 === 1) {
      sender = (leader1 + 1) % servers;
      victim = leader1;
    }

    if (disconnect) {
      cfg.disconnect(victim);
      await cfg.one(cfg.rnd(), servers - 1, true);
    }
    if (crash) {
      cfg.crash1(victim);
      await cfg.one(cfg.rnd(), servers - 1, true);
    }

    // perhaps send enough to get a snapshot
    const nn = Math.floor(SnapShotInterval / 2) + (cfg.rnd() % SnapShotInterval);
    for (let i = 0; i < nn; i++) {
      cfg.rafts[sender]!.Start(cfg.rnd());
    }

    // let applier threads catch up with the Start()'s
    if (disconnect === false && crash === false) {
      // make sure all followers have caught up, so that
      // an InstallSnapshot RPC isn't required for
      // TestSnapshotBasicPartD().
      await cfg.one(cfg.rnd(), servers, true);
    } else {
      await cfg.one(cfg.rnd(), servers - 1, true);
    }

    if (cfg.logSize() >= MAXLOGSIZE) {
      cfg.fatalf("Log size too large");
    }
    if (disconnect) {
      // reconnect a follower, who maybe behind and
      // needs to rceive a snapshot to catch up.
      cfg.connect(victim);
      await cfg.one(cfg.rnd(), servers, true);
      leader1 = await cfg.checkOneLeader();
    }
    if (crash) {
      cfg.start1(victim); // applierSnap
      cfg.connect(victim);
      await cfg.one(cfg.rnd(), servers, true);
      leader1 = await cfg.checkOneLeader();
    }
  }
  cfg.end();
}

// 22. Snapshots are taken and the log trimmed while all peers keep up (no InstallSnapshot needed).
export const TestSnapshotBasicPartD = defineTest("D", "TestSnapshotBasicPartD", async (t: TestContext) => {
  await snapcommon(t, "Test (PartD): snapshots basic", false, true, false);
});

// 23. A disconnected follower that fell behind the snapshot catches up via InstallSnapshot.
export const TestSnapshotInstallPartD = defineTest("D", "TestSnapshotInstallPartD", async (t: TestContext) => {
  await snapcommon(t, "Test (PartD): install snapshots (disconnect)", true, true, false);
});

// 24. The same as 23 on an unreliable network.
export const TestSnapshotInstallUnreliablePartD = defineTest("D", "TestSnapshotInstallUnreliablePartD", async (t: TestContext) => {
  await snapcommon(t, "Test (PartD): install snapshots (disconnect+unreliable)",
    true, false, false);
});

// 25. A crashed follower restarts from its persisted snapshot and catches up.
export const TestSnapshotInstallCrashPartD = defineTest("D", "TestSnapshotInstallCrashPartD", async (t: TestContext) => {
  await snapcommon(t, "Test (PartD): install snapshots (crash)", false, true, true);
});

// 26. The same as 25 on an unreliable network.
export const TestSnapshotInstallUnCrashPartD = defineTest("D", "TestSnapshotInstallUnCrashPartD", async (t: TestContext) => {
  await snapcommon(t, "Test (PartD): install snapshots (unreliable+crash)", false, false, true);
});

// do the servers persist the snapshots, and
// restart using snapshot along with the
// tail of the log?
// 27. After all peers crash and restart from snapshot + log tail, the log index never goes backwards.
export const TestSnapshotAllCrashPartD = defineTest("D", "TestSnapshotAllCrashPartD", async (t: TestContext) => {
  const servers = 3;
  const iters = 5;
  const cfg = makeConfig(t, servers, false, true);

  cfg.begin("Test (PartD): crash and restart all servers");

  await cfg.one(cfg.rnd(), servers, true);

  for (let i = 0; i < iters; i++) {
    // perhaps enough to get a snapshot
    const nn = Math.floor(SnapShotInterval / 2) + (cfg.rnd() % SnapShotInterval);
    for (let i = 0; i < nn; i++) {
      await cfg.one(cfg.rnd(), servers, true);
    }

    const index1 = await cfg.one(cfg.rnd(), servers, true);

    // crash all
    for (let i = 0; i < servers; i++) {
      cfg.crash1(i);
    }

    // revive all
    for (let i = 0; i < servers; i++) {
      cfg.start1(i); // applierSnap
      cfg.connect(i);
    }

    const index2 = await cfg.one(cfg.rnd(), servers, true);
    if (index2 < index1 + 1) {
      cfg.fatalf(`index decreased from ${index1} to ${index2}`);
    }
  }
  cfg.end();
});

// do servers correctly initialize their in-memory copy of the snapshot, making
// sure that future writes to persistent state don't lose state?
// 28. A restarted peer reloads its snapshot, so its next persist does not lose it (two full restarts).
export const TestSnapshotInitPartD = defineTest("D", "TestSnapshotInitPartD", async (t: TestContext) => {
  const servers = 3;
  const cfg = makeConfig(t, servers, false, true);

  cfg.begin("Test (PartD): snapshot initialization after crash");
  await cfg.one(cfg.rnd(), servers, true);

  // enough ops to make a snapshot
  const nn = SnapShotInterval + 1;
  for (let i = 0; i < nn; i++) {
    await cfg.one(cfg.rnd(), servers, true);
  }

  // crash all
  for (let i = 0; i < servers; i++) {
    cfg.crash1(i);
  }

  // revive all
  for (let i = 0; i < servers; i++) {
    cfg.start1(i); // applierSnap
    cfg.connect(i);
  }

  // a single op, to get something to be written back to persistent storage.
  await cfg.one(cfg.rnd(), servers, true);

  // crash all
  for (let i = 0; i < servers; i++) {
    cfg.crash1(i);
  }

  // revive all
  for (let i = 0; i < servers; i++) {
    cfg.start1(i); // applierSnap
    cfg.connect(i);
  }

  // do another op to trigger potential bug
  await cfg.one(cfg.rnd(), servers, true);
  cfg.end();
});

export const partD = [
  TestSnapshotBasicPartD,
  TestSnapshotInstallPartD,
  TestSnapshotInstallUnreliablePartD,
  TestSnapshotInstallCrashPartD,
  TestSnapshotInstallUnCrashPartD,
  TestSnapshotAllCrashPartD,
  TestSnapshotInitPartD,
];
