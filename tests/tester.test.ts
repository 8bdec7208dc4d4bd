// The tester's own behaviour, proved with small scripted implementations: MIT's limits show
// up as the virtual time of each failure, and implementations that misbehave (throw, return
// garbage, are async where the API is not) get one sentence naming the problem.
import { describe, expect, it } from "vitest";
import { defineTest, makeConfig, runTest, type TestContext } from "../src/config/index.ts";
import type { ClientEnd } from "../src/labrpc/index.ts";
import type { Persister } from "../src/persister/index.ts";
import type { ApplyMsg, MakeFn, Raft, RaftModule } from "../src/raft/api.ts";
import { go, sleep, type Channel } from "../src/sim/index.ts";
import { TestBasicAgreePartB, TestInitialElectionPartA } from "./suites/index.ts";

/** A Raft that never leads and never commits, with any method replaced. */
function impl(overrides: Partial<Raft> = {}, make?: MakeFn): RaftModule {
  return {
    Make: make ?? (() => ({ Start: () => [-1, 0, false], GetState: () => [0, false], Snapshot: () => {}, Kill: () => {}, ...overrides })),
  };
}

async function reasonOf(def = TestInitialElectionPartA, module: RaftModule = impl(), seed = 1): Promise<{ reason: string; ms: number }> {
  const r = await runTest(def, { seed, impl: module });
  expect(r.passed).toBe(false);
  return { reason: r.reason ?? "", ms: r.virtualMs };
}

describe("MIT's limits, as virtual time", () => {
  it("checkOneLeader gives up after 10 rounds of 450–549 ms", async () => {
    for (const seed of [1, 2, 3]) {
      const { reason, ms } = await reasonOf(TestInitialElectionPartA, impl(), seed);
      expect(reason).toMatch(/^expected one leader, got none/);
      expect(ms).toBeGreaterThanOrEqual(4500);
      expect(ms).toBeLessThanOrEqual(5490);
    }
  });

  it("one() gives up after 10 s when nobody accepts the command", async () => {
    const { reason, ms } = await reasonOf(TestBasicAgreePartB);
    expect(reason).toBe("one(100) failed to reach agreement (at 10000 ms)");
    expect(ms).toBe(10_000);
  });

  it("one() without retry gives up 2 s after a leader accepted the command", async () => {
    const { reason, ms } = await reasonOf(TestBasicAgreePartB, impl({ Start: () => [1, 1, true] }));
    expect(reason).toBe("one(100) failed to reach agreement (at 2000 ms)");
    expect(ms).toBe(2000);
  });

  it("wait() polls 30 times, from 10 ms doubling to 1.28 s, before it fails", async () => {
    const def = defineTest("B", "TestWaitLimitPartB", async (t: TestContext) => {
      const cfg = makeConfig(t, 3, false, false);
      await cfg.wait(1, 3, -1);
    });
    const { reason, ms } = await reasonOf(def);
    expect(reason).toBe(`only 0 decided for index 1; wanted 3 (at ${ms} ms)`);
    // 10+20+40+80+160+320+640 ms, then 23 rounds of 1280 ms.
    expect(ms).toBe(10 + 20 + 40 + 80 + 160 + 320 + 640 + 23 * 1280);
  });

  it("a test is stopped at 120 virtual seconds with MIT's message", async () => {
    const def = defineTest("B", "TestForeverPartB", async (t: TestContext) => {
      makeConfig(t, 3, false, false);
      for (;;) await sleep(1000);
    });
    const { reason, ms } = await reasonOf(def);
    expect(reason).toBe("test took longer than 120 seconds (at 120000 ms)");
    expect(ms).toBe(120_000);
  });
});

describe("an implementation that misbehaves gets one sentence", () => {
  it.each([
    ["Make throws", impl({}, () => { throw new TypeError("peers is not iterable"); }), /^Make\(\) of peer 0 threw at 0 ms: TypeError: peers is not iterable/],
    ["Make is async", impl({}, (async () => ({})) as unknown as MakeFn), /^Make\(\) for peer 0 returned a Promise \(Make must not be async/],
    ["GetState is async", impl({ GetState: (async () => [1, true]) as unknown as Raft["GetState"] }), /^GetState\(\) of peer 0 returned a Promise/],
    ["GetState returns garbage", impl({ GetState: (() => ["1", "yes"]) as unknown as Raft["GetState"] }), /^GetState\(\) of peer 0 returned \["1", "yes"\], not \[term: number, isLeader: boolean\]/],
    ["GetState throws", impl({ GetState: () => { throw new Error("boom"); } }), /^GetState\(\) of peer 0 threw at 0 ms: Error: boom/],
  ])("%s", async (_name, module, message) => {
    const { reason } = await reasonOf(TestInitialElectionPartA, module);
    expect(reason).toMatch(message);
  });

  it("a malformed ApplyMsg names the field", async () => {
    const module = impl({}, (_peers: ClientEnd[], me: number, _p: Persister, applyCh: Channel<ApplyMsg>) => {
      if (me === 0) go("bad applier", () => applyCh.send({ CommandValid: true, Command: 1, CommandIndex: "1" } as unknown as ApplyMsg));
      return { Start: () => [-1, 0, false], GetState: () => [0, false], Snapshot: () => {}, Kill: () => {} };
    });
    const { reason } = await reasonOf(TestInitialElectionPartA, module);
    expect(reason).toMatch(/^apply error: peer 0 sent a malformed message on applyCh: CommandIndex is "1", not an integer/);
  });

  it("an apply out of order is reported with MIT's text", async () => {
    const module = impl({}, (_peers: ClientEnd[], me: number, _p: Persister, applyCh: Channel<ApplyMsg>) => {
      if (me === 1) {
        go("skipping applier", async () => {
          await applyCh.send({ CommandValid: true, Command: 10, CommandIndex: 1, SnapshotValid: false, Snapshot: new Uint8Array(0), SnapshotTerm: 0, SnapshotIndex: 0 });
          await applyCh.send({ CommandValid: true, Command: 30, CommandIndex: 3, SnapshotValid: false, Snapshot: new Uint8Array(0), SnapshotTerm: 0, SnapshotIndex: 0 });
        });
      }
      return { Start: () => [-1, 0, false], GetState: () => [0, false], Snapshot: () => {}, Kill: () => {} };
    });
    const { reason } = await reasonOf(TestInitialElectionPartA, module);
    expect(reason).toBe("apply error: server 1 apply out of order 3 (at 0 ms)");
  });
});
