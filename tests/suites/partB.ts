// PartB: log replication (reliable network, no snapshots). Tests 4–13 of MIT 6.5840's
// test_test.go (Spring 2024), transcribed step for step: see spec §5, PartB.
import { defineTest, makeConfig, RaftElectionTimeout, isInt, goV, type TestContext } from "../../src/config/index.ts";
import { sleep } from "../../src/sim/index.ts";

// 4. Three commands commit on all peers at indices 1, 2, 3, and nothing commits before Start().
export const TestBasicAgreePartB = defineTest("B", "TestBasicAgreePartB", async (t: TestContext) => {
  const servers = 3;
  const cfg = makeConfig(t, servers, false, false);

  cfg.begin("Test (PartB): basic agreement");

  const iters = 3;
  for (let index = 1; index < iters + 1; index++) {
    const [nd] = cfg.nCommitted(index);
    if (nd > 0) {
      cfg.fatalf("some have committed before Start()");
    }

    const xindex = await cfg.one(index * 100, servers, false);
    if (xindex !== index) {
      cfg.fatalf(`got index ${xindex} but expected ${index}`);
    }
  }

  cfg.end();
});

// 5. Counting RPC bytes: each 5000-byte command is sent to each peer just once (≤ expected + 50000).
export const TestRPCBytesPartB = defineTest("B", "TestRPCBytesPartB", async (t: TestContext) => {
  const servers = 3;
  const cfg = makeConfig(t, servers, false, false);

  cfg.begin("Test (PartB): RPC byte count");

  await cfg.one(99, servers, false);
  const bytes0 = cfg.bytesTotal();

  const iters = 10;
  let sent = 0;
  for (let index = 2; index < iters + 2; index++) {
    const cmd = cfg.randstring(5000);
    const xindex = await cfg.one(cmd, servers, false);
    if (xindex !== index) {
      cfg.fatalf(`got index ${xindex} but expected ${index}`);
    }
    sent += cmd.length;
  }

  const bytes1 = cfg.bytesTotal();
  const got = bytes1 - bytes0;
  const expected = servers * sent;
  if (got > expected + 50000) {
    cfg.fatalf(`too many RPC bytes; got ${got}, expected ${expected}`);
  }

  cfg.end();
});

// 6. Agreement continues with one follower gone; with both followers gone, nothing commits.
export const TestFollowerFailurePartB = defineTest("B", "TestFollowerFailurePartB", async (t: TestContext) => {
  const servers = 3;
  const cfg = makeConfig(t, servers, false, false);

  cfg.begin("Test (PartB): test progressive failure of followers");

  await cfg.one(101, servers, false);

  // disconnect one follower from the network.
  const leader1 = await cfg.checkOneLeader();
  cfg.disconnect((leader1 + 1) % servers);

  // the leader and remaining follower should be
  // able to agree despite the disconnected follower.
  await cfg.one(102, servers - 1, false);
  await sleep(RaftElectionTimeout);
  await cfg.one(103, servers - 1, false);

  // disconnect the remaining follower
  const leader2 = await cfg.checkOneLeader();
  cfg.disconnect((leader2 + 1) % servers);
  cfg.disconnect((leader2 + 2) % servers);

  // submit a command.
  const [index, , ok] = cfg.rafts[leader2]!.Start(104);
  if (ok !== true) {
    cfg.fatalf("leader rejected Start()");
  }
  if (index !== 4) {
    cfg.fatalf(`expected index 4, got ${index}`);
  }

  await sleep(2 * RaftElectionTimeout);

  // check that command 104 did not commit.
  const [n] = cfg.nCommitted(index);
  if (n > 0) {
    cfg.fatalf(`${n} committed but no majority`);
  }

  cfg.end();
});

// 7. A new leader takes over after the leader is cut off; with two leaders gone, nothing commits.
export const TestLeaderFailurePartB = defineTest("B", "TestLeaderFailurePartB", async (t: TestContext) => {
  const servers = 3;
  const cfg = makeConfig(t, servers, false, false);

  cfg.begin("Test (PartB): test failure of leaders");

  await cfg.one(101, servers, false);

  // disconnect the first leader.
  const leader1 = await cfg.checkOneLeader();
  cfg.disconnect(leader1);

  // the remaining followers should elect
  // a new leader.
  await cfg.one(102, servers - 1, false);
  await sleep(RaftElectionTimeout);
  await cfg.one(103, servers - 1, false);

  // disconnect the new leader.
  const leader2 = await cfg.checkOneLeader();
  cfg.disconnect(leader2);

  // submit a command to each server.
  for (let i = 0; i < servers; i++) {
    cfg.rafts[i]!.Start(104);
  }

  await sleep(2 * RaftElectionTimeout);

  // check that command 104 did not commit.
  const [n] = cfg.nCommitted(4);
  if (n > 0) {
    cfg.fatalf(`${n} committed but no majority`);
  }

  cfg.end();
});

// 8. A follower that missed entries while disconnected catches up after it reconnects.
export const TestFailAgreePartB = defineTest("B", "TestFailAgreePartB", async (t: TestContext) => {
  const servers = 3;
  const cfg = makeConfig(t, servers, false, false);

  cfg.begin("Test (PartB): agreement after follower reconnects");

  await cfg.one(101, servers, false);

  // disconnect one follower from the network.
  const leader = await cfg.checkOneLeader();
  cfg.disconnect((leader + 1) % servers);

  // the leader and remaining follower should be
  // able to agree despite the disconnected follower.
  await cfg.one(102, servers - 1, false);
  await cfg.one(103, servers - 1, false);
  await sleep(RaftElectionTimeout);
  await cfg.one(104, servers - 1, false);
  await cfg.one(105, servers - 1, false);

  // re-connect
  cfg.connect((leader + 1) % servers);

  // the full set of servers should preserve
  // previous agreements, and be able to agree
  // on new commands.
  await cfg.one(106, servers, true);
  await sleep(RaftElectionTimeout);
  await cfg.one(107, servers, true);

  cfg.end();
});

// 9. With 3 of 5 followers cut off nothing commits; after repair the log index stays 2 or 3.
export const TestFailNoAgreePartB = defineTest("B", "TestFailNoAgreePartB", async (t: TestContext) => {
  const servers = 5;
  const cfg = makeConfig(t, servers, false, false);

  cfg.begin("Test (PartB): no agreement if too many followers disconnect");

  await cfg.one(10, servers, false);

  // 3 of 5 followers disconnect
  const leader = await cfg.checkOneLeader();
  cfg.disconnect((leader + 1) % servers);
  cfg.disconnect((leader + 2) % servers);
  cfg.disconnect((leader + 3) % servers);

  const [index, , ok] = cfg.rafts[leader]!.Start(20);
  if (ok !== true) {
    cfg.fatalf("leader rejected Start()");
  }
  if (index !== 2) {
    cfg.fatalf(`expected index 2, got ${index}`);
  }

  await sleep(2 * RaftElectionTimeout);

  const [n] = cfg.nCommitted(index);
  if (n > 0) {
    cfg.fatalf(`${n} committed but no majority`);
  }

  // repair
  cfg.connect((leader + 1) % servers);
  cfg.connect((leader + 2) % servers);
  cfg.connect((leader + 3) % servers);

  // the disconnected majority may have chosen a leader from
  // among their own ranks, forgetting index 2.
  const leader2 = await cfg.checkOneLeader();
  const [index2, , ok2] = cfg.rafts[leader2]!.Start(30);
  if (ok2 === false) {
    cfg.fatalf("leader2 rejected Start()");
  }
  if (index2 < 2 || index2 > 3) {
    cfg.fatalf(`unexpected index ${index2}`);
  }

  await cfg.one(1000, servers, true);

  cfg.end();
});

// 10. Five concurrent Start()s in one term all commit (up to 5 tries while the term keeps changing).
export const TestConcurrentStartsPartB = defineTest("B", "TestConcurrentStartsPartB", async (t: TestContext) => {
  const servers = 3;
  const cfg = makeConfig(t, servers, false, false);

  cfg.begin("Test (PartB): concurrent Start()s");

  let success = false;
  loop: for (let tryNo = 0; tryNo < 5; tryNo++) {
    if (tryNo > 0) {
      // give solution some time to settle
      await sleep(3 * 1000);
    }

    const leader = await cfg.checkOneLeader();
    const [, term, ok] = cfg.rafts[leader]!.Start(1);
    if (!ok) {
      // leader moved on really quickly
      continue;
    }

    const iters = 5;
    // Go: 5 goroutines feeding a channel `is`, then wg.Wait() and close(is).
    const is: number[] = [];
    const wg: Promise<void>[] = [];
    for (let ii = 0; ii < iters; ii++) {
      wg.push((async (i: number) => {
        const [i1, term1, ok1] = cfg.rafts[leader]!.Start(100 + i);
        if (term1 !== term) {
          return;
        }
        if (ok1 !== true) {
          return;
        }
        is.push(i1);
      })(ii));
    }

    await Promise.all(wg);

    for (let j = 0; j < servers; j++) {
      const [tj] = cfg.rafts[j]!.GetState();
      if (tj !== term) {
        // term changed -- can't expect low RPC counts
        continue loop;
      }
    }

    let failed = false;
    const cmds: number[] = [];
    for (const index of is) {
      const cmd = await cfg.wait(index, servers, term);
      if (isInt(cmd)) {
        const ix = cmd;
        if (ix === -1) {
          // peers have moved on to later terms
          // so we can't expect all Start()s to
          // have succeeded
          failed = true;
          break;
        }
        cmds.push(ix);
      } else {
        cfg.fatalf(`value ${goV(cmd)} is not an int`);
      }
    }

    if (failed) {
      continue;
    }

    for (let ii = 0; ii < iters; ii++) {
      const x = 100 + ii;
      let found = false;
      for (let j = 0; j < cmds.length; j++) {
        if (cmds[j] === x) {
          found = true;
        }
      }
      if (found === false) {
        cfg.fatalf(`cmd ${x} missing in ${goV(cmds)}`);
      }
    }

    success = true;
    break;
  }

  if (!success) {
    cfg.fatalf("term changed too often");
  }

  cfg.end();
});

// 11. A partitioned old leader's uncommitted entries are replaced when it rejoins.
export const TestRejoinPartB = defineTest("B", "TestRejoinPartB", async (t: TestContext) => {
  const servers = 3;
  const cfg = makeConfig(t, servers, false, false);

  cfg.begin("Test (PartB): rejoin of partitioned leader");

  await cfg.one(101, servers, true);

  // leader network failure
  const leader1 = await cfg.checkOneLeader();
  cfg.disconnect(leader1);

  // make old leader try to agree on some entries
  cfg.rafts[leader1]!.Start(102);
  cfg.rafts[leader1]!.Start(103);
  cfg.rafts[leader1]!.Start(104);

  // new leader commits, also for index=2
  await cfg.one(103, 2, true);

  // new leader network failure
  const leader2 = await cfg.checkOneLeader();
  cfg.disconnect(leader2);

  // old leader connected again
  cfg.connect(leader1);

  await cfg.one(104, 2, true);

  // all together now
  cfg.connect(leader2);

  await cfg.one(105, servers, true);

  cfg.end();
});

// 12. A leader backs up quickly over long runs of conflicting follower entries (5 peers, 50-entry runs).
export const TestBackupPartB = defineTest("B", "TestBackupPartB", async (t: TestContext) => {
  const servers = 5;
  const cfg = makeConfig(t, servers, false, false);

  cfg.begin("Test (PartB): leader backs up quickly over incorrect follower logs");

  await cfg.one(cfg.rnd(), servers, true);

  // put leader and one follower in a partition
  const leader1 = await cfg.checkOneLeader();
  cfg.disconnect((leader1 + 2) % servers);
  cfg.disconnect((leader1 + 3) % servers);
  cfg.disconnect((leader1 + 4) % servers);

  // submit lots of commands that won't commit
  for (let i = 0; i < 50; i++) {
    cfg.rafts[leader1]!.Start(cfg.rnd());
  }

  await sleep(RaftElectionTimeout / 2);

  cfg.disconnect((leader1 + 0) % servers);
  cfg.disconnect((leader1 + 1) % servers);

  // allow other partition to recover
  cfg.connect((leader1 + 2) % servers);
  cfg.connect((leader1 + 3) % servers);
  cfg.connect((leader1 + 4) % servers);

  // lots of successful commands to new group.
  for (let i = 0; i < 50; i++) {
    await cfg.one(cfg.rnd(), 3, true);
  }

  // now another partitioned leader and one follower
  const leader2 = await cfg.checkOneLeader();
  let other = (leader1 + 2) % servers;
  if (leader2 === other) {
    other = (leader2 + 1) % servers;
  }
  cfg.disconnect(other);

  // lots more commands that won't commit
  for (let i = 0; i < 50; i++) {
    cfg.rafts[leader2]!.Start(cfg.rnd());
  }

  await sleep(RaftElectionTimeout / 2);

  // bring original leader back to life,
  for (let i = 0; i < servers; i++) {
    cfg.disconnect(i);
  }
  cfg.connect((leader1 + 0) % servers);
  cfg.connect((leader1 + 1) % servers);
  cfg.connect(other);

  // lots of successful commands to new group.
  for (let i = 0; i < 50; i++) {
    await cfg.one(cfg.rnd(), 3, true);
  }

  // now everyone
  for (let i = 0; i < servers; i++) {
    cfg.connect(i);
  }
  await cfg.one(cfg.rnd(), servers, true);

  cfg.end();
});

// 13. RPC counts stay low: ≤ 30 to elect, ≤ 42 to commit 10 entries, ≤ 60 in one idle second.
export const TestCountPartB = defineTest("B", "TestCountPartB", async (t: TestContext) => {
  const servers = 3;
  const cfg = makeConfig(t, servers, false, false);

  cfg.begin("Test (PartB): RPC counts aren't too high");

  const rpcs = (): number => {
    let n = 0;
    for (let j = 0; j < servers; j++) {
      n += cfg.rpcCount(j);
    }
    return n;
  };

  let leader = await cfg.checkOneLeader();

  let total1 = rpcs();

  if (total1 > 30 || total1 < 1) {
    cfg.fatalf(`too many or few RPCs (${total1}) to elect initial leader\n`);
  }

  let total2 = 0;
  let success = false;
  loop: for (let tryNo = 0; tryNo < 5; tryNo++) {
    if (tryNo > 0) {
      // give solution some time to settle
      await sleep(3 * 1000);
    }

    leader = await cfg.checkOneLeader();
    total1 = rpcs();

    const iters = 10;
    const [starti, term, ok] = cfg.rafts[leader]!.Start(1);
    if (!ok) {
      // leader moved on really quickly
      continue;
    }
    const cmds: number[] = [];
    for (let i = 1; i < iters + 2; i++) {
      const x = cfg.int31();
      cmds.push(x);
      const [index1, term1, ok1] = cfg.rafts[leader]!.Start(x);
      if (term1 !== term) {
        // Term changed while starting
        continue loop;
      }
      if (!ok1) {
        // No longer the leader, so term has changed
        continue loop;
      }
      if (starti + i !== index1) {
        cfg.fatalf("Start() failed");
      }
    }

    for (let i = 1; i < iters + 1; i++) {
      const cmd = await cfg.wait(starti + i, servers, term);
      // Go: `ix, ok := cmd.(int)`; ix is 0 when cmd is not an int.
      const ix = isInt(cmd) ? cmd : 0;
      if (!isInt(cmd) || ix !== cmds[i - 1]) {
        if (ix === -1) {
          // term changed -- try again
          continue loop;
        }
        cfg.fatalf(`wrong value ${goV(cmd)} committed for index ${starti + i}; expected ${goV(cmds)}\n`);
      }
    }

    let failed = false;
    total2 = 0;
    for (let j = 0; j < servers; j++) {
      const [tj] = cfg.rafts[j]!.GetState();
      if (tj !== term) {
        // term changed -- can't expect low RPC counts
        // need to keep going to update total2
        failed = true;
      }
      total2 += cfg.rpcCount(j);
    }

    if (failed) {
      continue loop;
    }

    if (total2 - total1 > (iters + 1 + 3) * 3) {
      cfg.fatalf(`too many RPCs (${total2 - total1}) for ${iters} entries\n`);
    }

    success = true;
    break;
  }

  if (!success) {
    cfg.fatalf("term changed too often");
  }

  await sleep(RaftElectionTimeout);

  let total3 = 0;
  for (let j = 0; j < servers; j++) {
    total3 += cfg.rpcCount(j);
  }

  if (total3 - total2 > 3 * 20) {
    cfg.fatalf(`too many RPCs (${total3 - total2}) for 1 second of idleness\n`);
  }

  cfg.end();
});

export const partB = [
  TestBasicAgreePartB,
  TestRPCBytesPartB,
  TestFollowerFailurePartB,
  TestLeaderFailurePartB,
  TestFailAgreePartB,
  TestFailNoAgreePartB,
  TestConcurrentStartsPartB,
  TestRejoinPartB,
  TestBackupPartB,
  TestCountPartB,
];
