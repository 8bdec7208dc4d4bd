// PartC: persistence (no snapshots). Tests 14–21 of MIT 6.5840's test_test.go (Spring 2024),
// transcribed step for step: see spec §5, PartC.
import { defineTest, makeConfig, RaftElectionTimeout, isInt, type TestContext, type Config } from "../../src/config/index.ts";
import { sleep, go } from "../../src/sim/index.ts";

/**
 * Go's `go func() { defer done(ret); ret = fn() }()`: starts `fn` as a simulator task and
 * returns a promise of its result that settles when the task ends, however it ends. If `fn`
 * throws (a t.Fatalf inside a goroutine), the task's failure fails the test, as t.Fatalf
 * marks it failed, and the promise still resolves, with `ifDied`, as Go's deferred
 * `wg.Done()` / `ch <- ret` still run after runtime.Goexit.
 */
function goTask<T>(name: string, fn: () => Promise<T>, ifDied: T): Promise<T> {
  return new Promise<T>((resolve) => {
    go(name, async () => {
      let ret = ifDied;
      try {
        ret = await fn();
      } finally {
        resolve(ret);
      }
    });
  });
}

// 14. State survives crash/restart of all peers, of the leader, and of a follower.
export const TestPersist1PartC = defineTest("C", "TestPersist1PartC", async (t: TestContext) => {
  const servers = 3;
  const cfg = makeConfig(t, servers, false, false);

  cfg.begin("Test (PartC): basic persistence");

  await cfg.one(11, servers, true);

  // crash and re-start all
  for (let i = 0; i < servers; i++) {
    cfg.start1(i);
  }
  for (let i = 0; i < servers; i++) {
    cfg.disconnect(i);
    cfg.connect(i);
  }

  await cfg.one(12, servers, true);

  const leader1 = await cfg.checkOneLeader();
  cfg.disconnect(leader1);
  cfg.start1(leader1);
  cfg.connect(leader1);

  await cfg.one(13, servers, true);

  const leader2 = await cfg.checkOneLeader();
  cfg.disconnect(leader2);
  await cfg.one(14, servers - 1, true);
  cfg.start1(leader2);
  cfg.connect(leader2);

  await cfg.wait(4, servers, -1); // wait for leader2 to join before killing i3

  const i3 = ((await cfg.checkOneLeader()) + 1) % servers;
  cfg.disconnect(i3);
  await cfg.one(15, servers - 1, true);
  cfg.start1(i3);
  cfg.connect(i3);

  await cfg.one(16, servers, true);

  cfg.end();
});

// 15. Five rounds of partitions with restarts of a minority that must rebuild agreement from disk.
export const TestPersist2PartC = defineTest("C", "TestPersist2PartC", async (t: TestContext) => {
  const servers = 5;
  const cfg = makeConfig(t, servers, false, false);

  cfg.begin("Test (PartC): more persistence");

  let index = 1;
  for (let iters = 0; iters < 5; iters++) {
    await cfg.one(10 + index, servers, true);
    index++;

    const leader1 = await cfg.checkOneLeader();

    cfg.disconnect((leader1 + 1) % servers);
    cfg.disconnect((leader1 + 2) % servers);

    await cfg.one(10 + index, servers - 2, true);
    index++;

    cfg.disconnect((leader1 + 0) % servers);
    cfg.disconnect((leader1 + 3) % servers);
    cfg.disconnect((leader1 + 4) % servers);

    cfg.start1((leader1 + 1) % servers);
    cfg.start1((leader1 + 2) % servers);
    cfg.connect((leader1 + 1) % servers);
    cfg.connect((leader1 + 2) % servers);

    await sleep(RaftElectionTimeout);

    cfg.start1((leader1 + 3) % servers);
    cfg.connect((leader1 + 3) % servers);

    await cfg.one(10 + index, servers - 2, true);
    index++;

    cfg.connect((leader1 + 4) % servers);
    cfg.connect((leader1 + 0) % servers);
  }

  await cfg.one(1000, servers, true);

  cfg.end();
});

// 16. A partitioned-off follower plus the restarted leader commit; then everyone agrees.
export const TestPersist3PartC = defineTest("C", "TestPersist3PartC", async (t: TestContext) => {
  const servers = 3;
  const cfg = makeConfig(t, servers, false, false);

  cfg.begin("Test (PartC): partitioned leader and one follower crash, leader restarts");

  await cfg.one(101, 3, true);

  const leader = await cfg.checkOneLeader();
  cfg.disconnect((leader + 2) % servers);

  await cfg.one(102, 2, true);

  cfg.crash1((leader + 0) % servers);
  cfg.crash1((leader + 1) % servers);
  cfg.connect((leader + 2) % servers);
  cfg.start1((leader + 0) % servers);
  cfg.connect((leader + 0) % servers);

  await cfg.one(103, 2, true);

  cfg.start1((leader + 1) % servers);
  cfg.connect((leader + 1) % servers);

  await cfg.one(104, servers, true);

  cfg.end();
});

// Test the scenarios described in Figure 8 of the extended Raft paper. Each
// iteration asks a leader, if there is one, to insert a command in the Raft
// log.  If there is a leader, that leader will fail quickly with a high
// probability (perhaps without committing the command), or crash after a while
// with low probability (most likey committing the command).  If the number of
// alive servers isn't enough to form a majority, perhaps start a new server.
// The leader in a new term may try to finish replicating log entries that
// haven't been committed yet.
// 17. Figure 8: 1000 rounds of leader crashes never let a committed entry be overwritten.
export const TestFigure8PartC = defineTest("C", "TestFigure8PartC", async (t: TestContext) => {
  const servers = 5;
  const cfg = makeConfig(t, servers, false, false);

  cfg.begin("Test (PartC): Figure 8");

  await cfg.one(cfg.rnd(), 1, true);

  let nup = servers;
  for (let iters = 0; iters < 1000; iters++) {
    let leader = -1;
    for (let i = 0; i < servers; i++) {
      const rf = cfg.rafts[i];
      if (rf != null) {
        const [, , ok] = rf.Start(cfg.rnd());
        if (ok) {
          leader = i;
        }
      }
    }

    if ((cfg.rnd() % 1000) < 100) {
      const ms = cfg.rnd() % (RaftElectionTimeout / 2);
      await sleep(ms);
    } else {
      const ms = cfg.rnd() % 13;
      await sleep(ms);
    }

    if (leader !== -1) {
      cfg.crash1(leader);
      nup -= 1;
    }

    if (nup < 3) {
      const s = cfg.rnd() % servers;
      if (cfg.rafts[s] == null) {
        cfg.start1(s);
        cfg.connect(s);
        nup += 1;
      }
    }
  }

  for (let i = 0; i < servers; i++) {
    if (cfg.rafts[i] == null) {
      cfg.start1(i);
      cfg.connect(i);
    }
  }

  await cfg.one(cfg.rnd(), servers, true);

  cfg.end();
});

// 18. On an unreliable network, 246 commands (4 concurrent submitters per round) all commit.
export const TestUnreliableAgreePartC = defineTest("C", "TestUnreliableAgreePartC", async (t: TestContext) => {
  const servers = 5;
  const cfg = makeConfig(t, servers, true, false);

  cfg.begin("Test (PartC): unreliable agreement");

  // Go: a sync.WaitGroup over the 196 goroutines.
  const wg: Promise<void>[] = [];

  for (let iters = 1; iters < 50; iters++) {
    for (let j = 0; j < 4; j++) {
      const cmd = 100 * iters + j;
      wg.push(goTask(`one(${cmd})`, async () => {
        await cfg.one(cmd, 1, true);
      }, undefined));
    }
    await cfg.one(iters, 1, true);
  }

  cfg.setUnreliable(false);

  await Promise.all(wg);

  await cfg.one(100, servers, true);

  cfg.end();
});

// 19. Figure 8 on an unreliable network with long reordering: partitions instead of crashes.
export const TestFigure8UnreliablePartC = defineTest("C", "TestFigure8UnreliablePartC", async (t: TestContext) => {
  const servers = 5;
  const cfg = makeConfig(t, servers, true, false);

  cfg.begin("Test (PartC): Figure 8 (unreliable)");

  await cfg.one(cfg.rnd() % 10000, 1, true);

  let nup = servers;
  for (let iters = 0; iters < 1000; iters++) {
    if (iters === 200) {
      cfg.setLongReordering(true);
    }
    let leader = -1;
    for (let i = 0; i < servers; i++) {
      const [, , ok] = cfg.rafts[i]!.Start(cfg.rnd() % 10000);
      if (ok && cfg.connected[i]) {
        leader = i;
      }
    }

    if ((cfg.rnd() % 1000) < 100) {
      const ms = cfg.rnd() % (RaftElectionTimeout / 2);
      await sleep(ms);
    } else {
      const ms = cfg.rnd() % 13;
      await sleep(ms);
    }

    if (leader !== -1 && (cfg.rnd() % 1000) < RaftElectionTimeout / 2) {
      cfg.disconnect(leader);
      nup -= 1;
    }

    if (nup < 3) {
      const s = cfg.rnd() % servers;
      if (cfg.connected[s] === false) {
        cfg.connect(s);
        nup += 1;
      }
    }
  }

  for (let i = 0; i < servers; i++) {
    if (cfg.connected[i] === false) {
      cfg.connect(i);
    }
  }

  await cfg.one(cfg.rnd() % 10000, servers, true);

  cfg.end();
});

// The body of tests 20 and 21 (Go's internalChurn).
async function internalChurn(t: TestContext, unreliable: boolean): Promise<void> {
  const servers = 5;
  // Explicitly typed, so that TypeScript knows code after cfg.fatalf() is unreachable.
  const cfg: Config = makeConfig(t, servers, unreliable, false);

  if (unreliable) {
    cfg.begin("Test (PartC): unreliable churn");
  } else {
    cfg.begin("Test (PartC): churn");
  }

  let stop = false;

  // create concurrent clients
  const cfn = async (me: number): Promise<number[]> => {
    const values: number[] = [];
    while (!stop) {
      const x = cfg.rnd();
      let index = -1;
      let ok = false;
      for (let i = 0; i < servers; i++) {
        // try them all, maybe one of them is a leader
        const rf = cfg.rafts[i];
        if (rf != null) {
          const [index1, , ok1] = rf.Start(x);
          if (ok1) {
            ok = ok1;
            index = index1;
          }
        }
      }
      if (ok) {
        // maybe leader will commit our value, maybe not.
        // but don't wait forever.
        for (const to of [10, 20, 50, 100, 200]) {
          const [nd, cmd] = cfg.nCommitted(index);
          if (nd > 0) {
            if (isInt(cmd)) {
              if (cmd === x) {
                values.push(x);
              }
            } else {
              cfg.fatalf("wrong command type");
            }
            break;
          }
          await sleep(to);
        }
      } else {
        await sleep(79 + me * 17);
      }
    }
    return values;
  };

  // Go: `go cfn(i, cha[i])`; a client that dies (t.Fatalf in its goroutine) hands back nil.
  const ncli = 3;
  const cha: Promise<number[] | null>[] = [];
  for (let i = 0; i < ncli; i++) {
    cha.push(goTask<number[] | null>(`churn client ${i}`, () => cfn(i), null));
  }

  for (let iters = 0; iters < 20; iters++) {
    if ((cfg.rnd() % 1000) < 200) {
      const i = cfg.rnd() % servers;
      cfg.disconnect(i);
    }

    if ((cfg.rnd() % 1000) < 500) {
      const i = cfg.rnd() % servers;
      if (cfg.rafts[i] == null) {
        cfg.start1(i);
      }
      cfg.connect(i);
    }

    if ((cfg.rnd() % 1000) < 200) {
      const i = cfg.rnd() % servers;
      if (cfg.rafts[i] != null) {
        cfg.crash1(i);
      }
    }

    // Make crash/restart infrequent enough that the peers can often
    // keep up, but not so infrequent that everything has settled
    // down from one change to the next. Pick a value smaller than
    // the election timeout, but not hugely smaller.
    await sleep((RaftElectionTimeout * 7) / 10);
  }

  await sleep(RaftElectionTimeout);
  cfg.setUnreliable(false);
  for (let i = 0; i < servers; i++) {
    if (cfg.rafts[i] == null) {
      cfg.start1(i);
    }
    cfg.connect(i);
  }

  stop = true;

  const values: number[] = [];
  for (let i = 0; i < ncli; i++) {
    const vv = await cha[i]!;
    if (vv === null) {
      cfg.fatalf("client failed");
    }
    values.push(...vv);
  }

  await sleep(RaftElectionTimeout);

  const lastIndex = await cfg.one(cfg.rnd(), servers, true);

  // Go: `really := make([]int, lastIndex+1)` and then appends, so it starts with zeros.
  const really: number[] = new Array<number>(Math.max(lastIndex + 1, 0)).fill(0);
  for (let index = 1; index <= lastIndex; index++) {
    const v = await cfg.wait(index, servers, -1);
    if (isInt(v)) {
      really.push(v);
    } else {
      cfg.fatalf("not an int");
    }
  }

  // Go compares every pair; a set answers the same question without the quadratic cost.
  const committed = new Set(really);
  for (const v1 of values) {
    const found = committed.has(v1);
    if (found === false) {
      cfg.fatalf("didn't find a value");
    }
  }

  cfg.end();
}

// 20. Churn: random disconnects, crashes and restarts under 3 clients; every acknowledged value commits.
export const TestReliableChurnPartC = defineTest("C", "TestReliableChurnPartC", async (t: TestContext) => {
  await internalChurn(t, false);
});

// 21. The same churn on an unreliable network (made reliable before the final checks).
export const TestUnreliableChurnPartC = defineTest("C", "TestUnreliableChurnPartC", async (t: TestContext) => {
  await internalChurn(t, true);
});

export const partC = [
  TestPersist1PartC,
  TestPersist2PartC,
  TestPersist3PartC,
  TestFigure8PartC,
  TestUnreliableAgreePartC,
  TestFigure8UnreliablePartC,
  TestReliableChurnPartC,
  TestUnreliableChurnPartC,
];
