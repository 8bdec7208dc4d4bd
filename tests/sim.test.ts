// Unit tests of the deterministic world (src/sim): event order, the virtual clock, how
// microtasks settle before time moves, the driver's failure modes (deadlock, budget, a
// crashing task or callback, a stuck instant, bad sleeps) and the seeded random streams.
import { describe, expect, it } from "vitest";
import { EventHeap } from "../src/sim/heap.ts";
import { Channel, MAX_EVENTS_PER_INSTANT, Rng, World, go, now, random, randomInt, rng, sleep } from "../src/sim/index.ts";

describe("event order", () => {
  it("runs events by (time, insertion sequence); ties keep insertion order", async () => {
    const w = new World({ seed: 1 });
    const log: string[] = [];
    const out = await w.run(async () => {
      await new Promise<void>((resolve) => {
        const mark = (name: string) => () => log.push(`${name}@${w.now}`);
        w.at(5, mark("A"));
        w.at(3, mark("B"));
        w.at(5, mark("C"));
        w.at(3, mark("D"));
        w.at(0, mark("E"));
        w.wakeAfter(5, mark("F")); // a waking event is ordered exactly like an internal one
        w.at(4, () => {
          log.push(`G@${w.now}`);
          // Scheduled during t=4 for t=5: after everything already queued for t=5.
          w.at(1, mark("H"));
          // Zero delay: still after every event already queued for t=4.
          w.at(0, mark("I"));
        });
        w.at(4, mark("J"));
        w.wakeAfter(6, resolve);
      });
    });
    expect(out.ok).toBe(true);
    expect(log).toEqual(["E@0", "B@3", "D@3", "G@4", "J@4", "I@4", "A@5", "C@5", "F@5", "H@5"]);
    expect(out.virtualMs).toBe(6);
    expect(out.events).toBe(11);
  });

  it("orders sleepers that wake at the same instant by when they went to sleep", async () => {
    const w = new World({ seed: 2 });
    const log: string[] = [];
    const out = await w.run(async () => {
      const tasks: Promise<void>[] = [];
      // Each sleeps until t=10; they went to sleep at different times and in a scrambled order.
      for (const [name, start] of [["a", 0], ["b", 7], ["c", 3], ["d", 0], ["e", 9]] as const) {
        tasks.push((async () => {
          await sleep(start);
          await sleep(10 - start);
          log.push(`${name}@${now()}`);
        })());
      }
      await Promise.all(tasks);
    });
    expect(out.ok).toBe(true);
    // a and d go to sleep for 10 at t=0 (a first), c at t=3, b at t=7, e at t=9.
    expect(log).toEqual(["a@10", "d@10", "c@10", "b@10", "e@10"]);
  });

  it("EventHeap pops by (time, seq) whatever the push order", () => {
    const h = new EventHeap();
    const r = new Rng("heap", "order");
    const pushed: Array<{ time: number; seq: number }> = [];
    for (let seq = 0; seq < 2000; seq++) {
      const ev = { time: r.intn(50), seq, fn: () => {} };
      pushed.push(ev);
      h.push(ev);
    }
    const popped: Array<{ time: number; seq: number }> = [];
    for (let ev = h.pop(); ev !== undefined; ev = h.pop()) popped.push({ time: ev.time, seq: ev.seq });
    const expected = pushed
      .map(({ time, seq }) => ({ time, seq }))
      .sort((a, b) => a.time - b.time || a.seq - b.seq);
    expect(popped).toEqual(expected);
    expect(h.size).toBe(0);
    expect(h.peek()).toBeUndefined();
  });
});

describe("virtual clock", () => {
  it("jumps straight to the next event", async () => {
    const w = new World({ seed: 3 });
    const seen: number[] = [];
    const out = await w.run(async () => {
      seen.push(now());
      await sleep(1_000_000);
      seen.push(now());
      await sleep(0.5);
      seen.push(now());
      await sleep(0);
      seen.push(now());
      await sleep(86_400_000);
      seen.push(now());
    });
    expect(out.ok).toBe(true);
    expect(seen).toEqual([0, 1_000_000, 1_000_000.5, 1_000_000.5, 87_400_000.5]);
    expect(out.virtualMs).toBe(87_400_000.5);
    // One event per sleep, however far the clock jumped.
    expect(out.events).toBe(4);
  });

  it("settles every microtask of an instant before the clock advances", async () => {
    const w = new World({ seed: 4 });
    const log: string[] = [];
    const out = await w.run(async () => {
      // An internal (non-waking) event at t=11 that would run straight after t=10's event
      // if the driver did not let t=10's microtasks settle first.
      w.at(11, () => log.push(`event@${w.now}`));
      go("chain", async () => {
        await sleep(10);
        for (let i = 0; i < 1000; i++) await Promise.resolve();
        log.push(`chain-mid@${now()}`);
        // A nested async function with its own awaits, still at t=10.
        await (async () => {
          for (let i = 0; i < 100; i++) await null;
        })();
        log.push(`chain-end@${now()}`);
      });
      await sleep(20);
    });
    expect(out.ok).toBe(true);
    expect(log).toEqual(["chain-mid@10", "chain-end@10", "event@11"]);
  });

  it("runs the afterStep hooks after each step, once the step's microtasks have run", async () => {
    const w = new World({ seed: 5 });
    let value = 0;
    const seen: Array<[number, number]> = [];
    const out = await w.run(async () => {
      w.afterStep(() => seen.push([w.now, value]));
      await sleep(5);
      value = 1;
      await Promise.resolve();
      value = 2;
      await sleep(5);
      value = 3;
    });
    expect(out.ok).toBe(true);
    // Every step observes the value the body left after the instant settled, never 1.
    expect(seen.map(([, v]) => v)).not.toContain(1);
    expect(seen).toContainEqual([5, 2]);
    expect(seen.every(([t], i) => i === 0 || t >= seen[i - 1]![0])).toBe(true);
  });

  it("a throwing afterStep hook fails the run", async () => {
    const w = new World({ seed: 6 });
    const out = await w.run(async () => {
      w.afterStep(() => {
        if (w.now >= 7) throw new Error("invariant broken");
      });
      await sleep(7);
      await sleep(100);
    });
    expect(out.ok).toBe(false);
    expect(out.failure?.message).toBe("invariant broken");
    expect(out.virtualMs).toBe(7);
  });

  it("ends with the body even when other tasks are still scheduled", async () => {
    const w = new World({ seed: 7 });
    let ticks = 0;
    const out = await w.run(async () => {
      go("ticker", async () => {
        for (;;) {
          await sleep(10);
          ticks++;
        }
      });
      await sleep(55);
    });
    expect(out.ok).toBe(true);
    expect(out.virtualMs).toBe(55);
    expect(ticks).toBe(5);
  });
});

describe("failures", () => {
  it("reports a deadlock naming what waits", async () => {
    const w = new World({ seed: 8 });
    const out = await w.run(async () => {
      await sleep(42);
      const ch = new Channel<number>(0, "X");
      await ch.recv();
    });
    expect(out.ok).toBe(false);
    expect(out.failure?.kind).toBe("deadlock");
    expect(out.failure?.message).toBe("deadlock at 42 ms: the test is waiting but nothing is scheduled; waiting: receive on X");
    expect(out.failure?.virtualMs).toBe(42);
    expect(out.failure?.seed).toBe("8");
    expect(out.virtualMs).toBe(42);
  });

  it("lists every waiter in a deadlock, and none when nothing registered", async () => {
    const w = new World({ seed: 9 });
    const out = await w.run(async () => {
      const a = new Channel<number>(0, "applyCh");
      const b = new Channel<number>(0, "B");
      go("sender", () => a.send(1));
      await b.recv();
    });
    // Waiters are listed in the order they parked: the body first, the sender once it ran.
    expect(out.failure?.message).toBe("deadlock at 0 ms: the test is waiting but nothing is scheduled; waiting: receive on B, send on applyCh");

    const w2 = new World({ seed: 9 });
    const out2 = await w2.run(async () => {
      await new Promise<void>(() => {});
    });
    expect(out2.failure?.kind).toBe("deadlock");
    expect(out2.failure?.message).toBe("deadlock at 0 ms: the test is waiting but nothing is scheduled");
  });

  it("stops at the virtual-time budget", async () => {
    const w = new World({ seed: 10, budgetMs: 120_000 });
    let reached = 0;
    const out = await w.run(async () => {
      for (;;) {
        await sleep(1000);
        reached = now();
      }
    });
    expect(out.ok).toBe(false);
    expect(out.failure?.kind).toBe("budget");
    expect(out.failure?.message).toBe("virtual-time budget of 120000 ms exceeded");
    expect(out.failure?.virtualMs).toBe(120_000);
    expect(out.virtualMs).toBe(120_000);
    // An event exactly at the budget still runs; the one after it does not.
    expect(reached).toBe(120_000);
  });

  it("uses the given budget message", async () => {
    const w = new World({ seed: 11, budgetMs: 50, budgetMessage: "test took longer than 120 seconds" });
    const out = await w.run(async () => {
      await sleep(51);
    });
    expect(out.failure?.message).toBe("test took longer than 120 seconds");
    expect(out.virtualMs).toBe(50);
  });

  it("fails the run when a go task throws, with its name and the time", async () => {
    const w = new World({ seed: 12 });
    let after = false;
    const out = await w.run(async () => {
      go("peer 3 ticker", async () => {
        await sleep(7);
        throw new TypeError("boom");
      });
      await sleep(100);
      after = true;
    });
    expect(out.ok).toBe(false);
    expect(out.failure?.message).toBe("peer 3 ticker threw at 7 ms: TypeError: boom");
    expect(out.failure?.virtualMs).toBe(7);
    expect(out.virtualMs).toBe(7);
    expect(after).toBe(false);
  });

  it("fails the run when a go task throws synchronously", async () => {
    const w = new World({ seed: 13 });
    const out = await w.run(async () => {
      await sleep(3);
      go("sync task", () => {
        throw new Error("at once");
      });
      await sleep(100);
    });
    expect(out.failure?.message).toBe("sync task threw at 3 ms: Error: at once");
    expect(out.virtualMs).toBe(3);
  });

  it("fails the run when a scheduled callback throws", async () => {
    const w = new World({ seed: 14 });
    const out = await w.run(async () => {
      w.at(25, () => {
        throw new RangeError("bad index");
      });
      await sleep(100);
    });
    expect(out.ok).toBe(false);
    expect(out.failure?.message).toBe("a scheduled callback threw at 25 ms: RangeError: bad index");
    expect(out.virtualMs).toBe(25);
  });

  it("fails the run with the body's own exception", async () => {
    const w = new World({ seed: 15 });
    const out = await w.run(async () => {
      await sleep(9);
      throw new Error("one(101) failed to reach agreement");
    });
    expect(out.ok).toBe(false);
    expect(out.failure?.kind).toBe("failure");
    expect(out.failure?.message).toBe("one(101) failed to reach agreement");
    expect(out.failure?.virtualMs).toBe(9);
  });

  it("keeps the first failure and drops later ones", async () => {
    const w = new World({ seed: 16 });
    const out = await w.run(async () => {
      await sleep(4);
      w.fail("first");
      w.fail(new Error("second"));
      expect(w.failed?.message).toBe("first");
      await sleep(10);
    });
    expect(out.failure?.message).toBe("first");
    expect(out.virtualMs).toBe(4);
  });

  it("detects virtual time that is stuck at one instant (a loop of sleep(0))", async () => {
    expect(MAX_EVENTS_PER_INSTANT).toBe(1_000_000);
    const w = new World({ seed: 17 });
    let spins = 0;
    const out = await w.run(async () => {
      await sleep(30);
      for (;;) {
        await sleep(0);
        spins++;
      }
    });
    expect(out.ok).toBe(false);
    expect(out.failure?.kind).toBe("stuck");
    expect(out.failure?.message).toBe(
      "virtual time is stuck at 30 ms: more than 1000000 events ran at that instant (a loop that never sleeps for a positive time?)");
    expect(out.virtualMs).toBe(30);
    expect(spins).toBe(MAX_EVENTS_PER_INSTANT);
  }, 60_000);

  it("rejects sleep with a bad duration", async () => {
    const w = new World({ seed: 18 });
    const messages: string[] = [];
    const out = await w.run(async () => {
      for (const bad of [-1, NaN, Infinity, -Infinity, "5" as unknown as number]) {
        try {
          await sleep(bad);
          messages.push("resolved");
        } catch (e) {
          expect(e).toBeInstanceOf(RangeError);
          messages.push((e as Error).message);
        }
      }
      await sleep(-0.001);
    });
    expect(messages).toEqual([
      "sleep(-1): the duration must be a finite number >= 0",
      "sleep(NaN): the duration must be a finite number >= 0",
      "sleep(Infinity): the duration must be a finite number >= 0",
      "sleep(-Infinity): the duration must be a finite number >= 0",
      // A string is coerced by `>=` but not accepted by Number.isFinite.
      "sleep(5): the duration must be a finite number >= 0",
    ]);
    expect(out.ok).toBe(false);
    expect(out.failure?.message).toBe("sleep(-0.001): the duration must be a finite number >= 0");
  });

  it("rejects World.at with a bad delay", async () => {
    const w = new World({ seed: 19 });
    const out = await w.run(async () => {
      expect(() => w.at(-1, () => {})).toThrow("World.at: bad delay -1");
      expect(() => w.at(Infinity, () => {})).toThrow("World.at: bad delay Infinity");
      expect(() => w.at(NaN, () => {})).toThrow("World.at: bad delay NaN");
    });
    expect(out.ok).toBe(true);
  });

  it("refuses a second run in the same thread, and sim calls outside a run", async () => {
    await new Promise((resolve) => setImmediate(resolve)); // an earlier run's last microtasks are done
    expect(() => now()).toThrow("raftlab: no simulation is running");
    const w = new World({ seed: 20 });
    const out = await w.run(async () => {
      const w2 = new World({ seed: 20 });
      expect(() => w2.run(async () => {})).toThrow("raftlab: a simulation is already running in this thread");
    });
    expect(out.ok).toBe(true);
    await new Promise((resolve) => setImmediate(resolve)); // the run's last microtasks are done
    expect(() => now()).toThrow("raftlab: no simulation is running");
  });

  it("code still queued when a run ends finds the world, and what it schedules never runs", async () => {
    const w = new World({ seed: 21 });
    let late = "";
    const out = await w.run(async () => {
      // Called directly (not with go(), whose task would only start after the body yields),
      // so its continuations are still queued when the body returns.
      void (async () => {
        await Promise.resolve();
        await Promise.resolve();
        late = `still at ${now()} ms`;
        await sleep(5); // never resolves: the run is over
        late = "woke up";
      })();
    });
    expect(out.ok).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(late).toBe("still at 0 ms");
  });
});

describe("trace", () => {
  it("hashes recorded events: equal runs give equal hashes, any difference changes it", async () => {
    const script = async (w: World, msg: string, t: number): Promise<string> => {
      const out = await w.run(async () => {
        w.record(0, "election", "became candidate term 1");
        await sleep(t);
        w.record(1, "vote", msg, { ignored: Math.PI });
      });
      expect(out.ok).toBe(true);
      return out.traceHash;
    };
    const a = await script(new World({ seed: 1 }), "granted", 5);
    const b = await script(new World({ seed: 99 }), "granted", 5); // the seed alone is not hashed
    const c = await script(new World({ seed: 1 }), "refused", 5);
    const d = await script(new World({ seed: 1 }), "granted", 6);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(d).not.toBe(a);
  });

  // Regression test: Trace.mix once folded only `n | 0`, so an event at t=1.5 hashed exactly
  // like one at t=1 and runs differing only in fractional virtual times (sleep(100 / 3) is
  // accepted) got the same traceHash. Fixed in src/sim/trace.ts by mixing the float64's bits.
  it("distinguishes fractional virtual times in the hash", async () => {
    const at = async (t: number): Promise<string> => {
      const w = new World({ seed: 1 });
      const out = await w.run(async () => {
        await sleep(t);
        w.record(0, "log", "tick");
      });
      return out.traceHash;
    };
    const whole = await at(1);
    expect(await at(2)).not.toBe(whole);
    expect(await at(1.5)).not.toBe(whole);
    expect(await at(100 / 3)).not.toBe(await at(33));
  });

  it("keeps the last ringSize events, or all of them with keepAll", async () => {
    const ring = new World({ seed: 1, trace: { ringSize: 3 } });
    await ring.run(async () => {
      for (let i = 0; i < 10; i++) {
        ring.record(-1, "tester", `e${i}`);
        await sleep(1);
      }
    });
    expect(ring.trace.length).toBe(10);
    expect(ring.trace.kept().map((e) => e.msg)).toEqual(["e7", "e8", "e9"]);
    expect(ring.trace.kept().map((e) => e.t)).toEqual([7, 8, 9]);

    const all = new World({ seed: 1, trace: { keepAll: true, ringSize: 3 } });
    await all.run(async () => {
      for (let i = 0; i < 10; i++) all.record(-1, "tester", `e${i}`);
    });
    expect(all.trace.kept()).toHaveLength(10);
  });
});

describe("seeded random streams", () => {
  const draw = (r: Rng, n: number): number[] => Array.from({ length: n }, () => r.intn(1_000_000));

  it("the same (seed, name) gives the same sequence; the world hands out one object per name", async () => {
    expect(draw(new Rng("42", "net"), 50)).toEqual(draw(new Rng("42", "net"), 50));
    const seqs: number[][] = [];
    for (let k = 0; k < 2; k++) {
      const w = new World({ seed: 42 });
      await w.run(async () => {
        expect(w.rng("net")).toBe(w.rng("net"));
        seqs.push(draw(w.rng("net"), 50));
      });
    }
    expect(seqs[1]).toEqual(seqs[0]);
    // A numeric seed and its string form are the same seed.
    expect(seqs[0]).toEqual(draw(new Rng("42", "net"), 50));
    expect(draw(new Rng("43", "net"), 50)).not.toEqual(seqs[0]);
  });

  it("different names are independent streams", () => {
    const alone = draw(new Rng("7", "raft"), 100);
    const other = draw(new Rng("7", "tester"), 100);
    expect(other).not.toEqual(alone);
    // Interleaving draws from another stream does not disturb this one.
    const a = new Rng("7", "raft");
    const b = new Rng("7", "tester");
    const interleaved: number[] = [];
    for (let i = 0; i < 100; i++) {
      for (let k = 0; k < i % 4; k++) b.float();
      interleaved.push(a.intn(1_000_000));
    }
    expect(interleaved).toEqual(alone);
  });

  it("intn(n) covers exactly 0..n-1, uniformly", () => {
    const r = new Rng("1", "intn");
    const n = 7;
    const counts = new Array<number>(n).fill(0);
    const draws = 70_000;
    let outside = 0;
    for (let i = 0; i < draws; i++) {
      const v = r.intn(n);
      if (!Number.isInteger(v) || v < 0 || v >= n) outside++;
      else counts[v]!++;
    }
    expect(outside).toBe(0);
    // Each count is Binomial(70000, 1/7): mean 10000, s.d. ≈ 92.6; allow 5 s.d.
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(463);
    expect(new Rng("1", "one").intn(1)).toBe(0);
    const big = new Rng("1", "big");
    for (let i = 0; i < 1000; i++) {
      const v = big.intn(2 ** 40);
      expect(v >= 0 && v < 2 ** 40 && Number.isInteger(v)).toBe(true);
    }
  });

  it("intn rejects a bad bound", () => {
    const r = new Rng("1", "bad");
    for (const bad of [0, -3, 1.5, NaN, Infinity, 2 ** 60]) {
      expect(() => r.intn(bad)).toThrow(RangeError);
    }
    expect(() => r.intn(0)).toThrow("Rng.intn: bad bound 0");
  });

  it("between(lo, hi) includes both ends", () => {
    const r = new Rng("1", "between");
    const seen = new Set<number>();
    for (let i = 0; i < 5000; i++) seen.add(r.between(150, 160));
    expect([...seen].sort((a, b) => a - b)).toEqual([150, 151, 152, 153, 154, 155, 156, 157, 158, 159, 160]);
    expect(r.between(5, 5)).toBe(5);
    expect(new Rng("1", "neg").between(-2, -2)).toBe(-2);
  });

  it("the helpers for Raft code draw from the running world's streams", async () => {
    const w = new World({ seed: "helpers" });
    const out = await w.run(async () => {
      expect(rng("peer-2")).toBe(w.rng("peer-2"));
      const fromHelpers = [randomInt(150, 300), randomInt(150, 300), random()];
      const ref = new Rng("helpers", "raft");
      expect(fromHelpers).toEqual([ref.between(150, 300), ref.between(150, 300), ref.float()]);
    });
    expect(out.ok).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(() => randomInt(1, 2)).toThrow("raftlab: no simulation is running");
  });

  it("float is in [0, 1) and int is a non-negative safe integer", () => {
    const r = new Rng("1", "float");
    let sum = 0;
    let bad = 0;
    for (let i = 0; i < 10_000; i++) {
      const f = r.float();
      if (!(f >= 0 && f < 1)) bad++;
      sum += f;
      const n = r.int();
      if (!(Number.isSafeInteger(n) && n >= 0)) bad++;
    }
    expect(bad).toBe(0);
    // Mean of 10000 U(0,1): s.d. ≈ 0.0029.
    expect(Math.abs(sum / 10_000 - 0.5)).toBeLessThan(0.015);
  });
});

describe("scheduling: Go's scheduler, seeded", () => {
  const startOrder = async (seed: number, taskJitterMs: number): Promise<{ order: string[]; times: number[] }> => {
    const order: string[] = [];
    const times: number[] = [];
    const out = await new World({ seed, taskJitterMs }).run(async () => {
      for (const name of ["a", "b", "c", "d", "e"]) {
        go(name, () => {
          order.push(name);
          times.push(now());
        });
      }
      order.push("caller");
      await sleep(10);
    });
    expect(out.ok).toBe(true);
    return { order, times };
  };

  it("by default, go() tasks start after their starter yields, at the same instant, in an order the seed chooses", async () => {
    const first = await startOrder(1, 0);
    expect(first.order[0]).toBe("caller"); // never inside the starter's synchronous code
    expect(first.times).toEqual([0, 0, 0, 0, 0]);
    expect(await startOrder(1, 0)).toEqual(first); // the same seed, the same schedule
    const orders = new Set<string>();
    for (let seed = 1; seed <= 8; seed++) orders.add((await startOrder(seed, 0)).order.join(""));
    expect(orders.size).toBeGreaterThan(1);
  });

  it("in heavy mode, tasks also start 0..taskJitterMs ms late", async () => {
    const first = await startOrder(1, 5);
    expect(first.order[0]).toBe("caller");
    expect(first.times.every((t) => t >= 0 && t <= 5)).toBe(true);
    expect(await startOrder(1, 5)).toEqual(first);
    const times = new Set<number>();
    for (let seed = 1; seed <= 8; seed++) for (const t of (await startOrder(seed, 5)).times) times.add(t);
    expect(times.size).toBeGreaterThan(1);
  });

  it("rejects a bad jitter", () => {
    expect(() => new World({ seed: 1, taskJitterMs: -1 })).toThrow("bad taskJitterMs");
  });
});
