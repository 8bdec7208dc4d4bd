// Unit tests of the Go-like Channel (applyCh) and Cond of src/sim, in virtual time.
import { describe, expect, it } from "vitest";
import { Channel, Cond, World, go, now, sleep } from "../src/sim/index.ts";

describe("unbuffered channel", () => {
  it("a send completes only when a receiver takes the value", async () => {
    const w = new World({ seed: 1 });
    const log: string[] = [];
    const out = await w.run(async () => {
      const ch = new Channel<string>(0, "applyCh");
      let sent = false;
      go("sender", async () => {
        await sleep(5);
        log.push(`send start@${now()}`);
        await ch.send("m1");
        sent = true;
        log.push(`send done@${now()}`);
      });
      await sleep(49);
      expect(sent).toBe(false); // nobody has received yet
      expect(ch.length).toBe(0); // an unbuffered channel never holds a value
      await sleep(1);
      log.push(`recv start@${now()}`);
      const r = await ch.recv();
      log.push(`recv got ${r.value} ok=${r.ok}@${now()}`);
      await sleep(0);
      expect(sent).toBe(true);
    });
    expect(out.ok).toBe(true);
    expect(log).toEqual(["send start@5", "recv start@50", "send done@50", "recv got m1 ok=true@50"]);
  });

  it("a waiting receiver gets the value at the instant of the send, and the send completes then", async () => {
    const w = new World({ seed: 2 });
    const log: string[] = [];
    const out = await w.run(async () => {
      const ch = new Channel<number>();
      go("receiver", async () => {
        const r = await ch.recv();
        log.push(`got ${r.value}@${now()}`);
      });
      await sleep(30);
      await ch.send(7);
      log.push(`sent@${now()}`);
      await sleep(0);
    });
    expect(out.ok).toBe(true);
    expect(log).toEqual(["got 7@30", "sent@30"]);
  });

  it("hands values to receivers in arrival order", async () => {
    const w = new World({ seed: 3 });
    const got: string[] = [];
    const out = await w.run(async () => {
      const ch = new Channel<number>(0, "c");
      // Receivers park one after another (go() promises no start order, so pace them).
      for (const name of ["r1", "r2", "r3"]) {
        go(name, async () => {
          const r = await ch.recv();
          got.push(`${name}:${r.value}`);
        });
        await sleep(1);
      }
      for (let v = 1; v <= 3; v++) await ch.send(v);
    });
    expect(out.ok).toBe(true);
    expect(got).toEqual(["r1:1", "r2:2", "r3:3"]);
  });

  it("takes concurrent senders' values in an order the seed chooses, as Go promises no order", async () => {
    const orderFor = async (seed: number): Promise<number[]> => {
      const order: number[] = [];
      const out = await new World({ seed }).run(async () => {
        const ch = new Channel<number>(0, "c");
        for (let v = 1; v <= 6; v++) go(`s${v}`, () => ch.send(v));
        await sleep(10);
        for (let i = 0; i < 6; i++) order.push((await ch.recv()).value!);
      });
      expect(out.ok).toBe(true);
      return order;
    };
    const first = await orderFor(1);
    expect([...first].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await orderFor(1)).toEqual(first); // the same seed, the same order
    const orders = new Set<string>();
    for (let seed = 1; seed <= 8; seed++) orders.add(JSON.stringify(await orderFor(seed)));
    expect(orders.size).toBeGreaterThan(1); // not always FIFO
  });

  it("a single parked sender goes first: one applier task keeps its order", async () => {
    const got: number[] = [];
    const out = await new World({ seed: 5 }).run(async () => {
      const ch = new Channel<number>(0, "applyCh");
      go("applier", async () => {
        for (let v = 1; v <= 20; v++) await ch.send(v);
      });
      for (let i = 0; i < 20; i++) {
        await sleep(1);
        got.push((await ch.recv()).value!);
      }
    });
    expect(out.ok).toBe(true);
    expect(got).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it("calls onSend before every send", async () => {
    const w = new World({ seed: 4 });
    const seen: number[] = [];
    const out = await w.run(async () => {
      const ch = new Channel<number>(1);
      ch.onSend = (v) => seen.push(v);
      await ch.send(1);
      ch.close();
      await expect(ch.send(2)).rejects.toThrow("send on closed channel");
    });
    expect(out.ok).toBe(true);
    expect(seen).toEqual([1, 2]);
  });
});

describe("buffered channel", () => {
  it("accepts up to its capacity without a receiver, then blocks the sender", async () => {
    const w = new World({ seed: 5 });
    const log: string[] = [];
    const out = await w.run(async () => {
      const ch = new Channel<number>(2, "buf");
      go("producer", async () => {
        for (let v = 1; v <= 4; v++) {
          await ch.send(v);
          log.push(`sent ${v}@${now()}`);
        }
      });
      await sleep(10);
      expect(ch.length).toBe(2);
      expect(ch.capacity).toBe(2);
      const values: number[] = [];
      for (let i = 0; i < 4; i++) {
        values.push((await ch.recv()).value!);
        log.push(`recv ${values[i]}@${now()}`);
        await sleep(10);
      }
      expect(values).toEqual([1, 2, 3, 4]);
      expect(ch.length).toBe(0);
    });
    expect(out.ok).toBe(true);
    // 1 and 2 go into the buffer at once; 3 waits for the first receive (t=10) and 4 for the
    // second (t=20). (Within one instant the order of the two sides' continuations is not part
    // of the contract, so the two sides are compared separately.)
    expect(log.filter((l) => l.startsWith("sent"))).toEqual(["sent 1@0", "sent 2@0", "sent 3@10", "sent 4@20"]);
    expect(log.filter((l) => l.startsWith("recv"))).toEqual(["recv 1@10", "recv 2@20", "recv 3@30", "recv 4@40"]);
  });

  it("rejects a bad capacity", () => {
    expect(() => new Channel(-1)).toThrow("Channel: bad capacity -1");
    expect(() => new Channel(1.5)).toThrow(RangeError);
  });
});

describe("close", () => {
  it("wakes every waiting receiver with ok=false and rejects parked and later senders", async () => {
    const w = new World({ seed: 6 });
    const log: string[] = [];
    const out = await w.run(async () => {
      const recvCh = new Channel<number>(0, "R");
      for (const name of ["a", "b"]) {
        go(name, async () => {
          const r = await recvCh.recv();
          log.push(`${name}: value=${r.value} ok=${r.ok}@${now()}`);
        });
        await sleep(1);
      }
      const sendCh = new Channel<number>(0, "S");
      go("parked sender", async () => {
        try {
          await sendCh.send(1);
          log.push("parked send resolved");
        } catch (e) {
          log.push(`parked send: ${(e as Error).message}@${now()}`);
        }
      });
      await sleep(20);
      recvCh.close();
      sendCh.close();
      expect(recvCh.closed).toBe(true);
      await sleep(0);
      await expect(recvCh.send(9)).rejects.toThrow("send on closed channel R");
      expect(await recvCh.recv()).toEqual({ value: undefined, ok: false });
      expect(() => recvCh.close()).toThrow("close of closed channel R");
    });
    expect(out.ok).toBe(true);
    expect(log).toEqual([
      "a: value=undefined ok=false@22",
      "b: value=undefined ok=false@22",
      "parked send: send on closed channel S@22",
    ]);
  });

  it("lets receivers drain a closed buffered channel before reporting ok=false", async () => {
    const w = new World({ seed: 7 });
    const out = await w.run(async () => {
      const ch = new Channel<string>(3);
      await ch.send("x");
      await ch.send("y");
      ch.close();
      expect(await ch.recv()).toEqual({ value: "x", ok: true });
      expect(await ch.recv()).toEqual({ value: "y", ok: true });
      expect(await ch.recv()).toEqual({ value: undefined, ok: false });
    });
    expect(out.ok).toBe(true);
  });

  it("ends async iteration on close", async () => {
    const w = new World({ seed: 8 });
    const got: Array<[number, number]> = [];
    let endedAt = -1;
    const out = await w.run(async () => {
      const ch = new Channel<number>(0, "applyCh");
      go("producer", async () => {
        for (let i = 1; i <= 5; i++) {
          await sleep(i);
          await ch.send(i * 10);
        }
        ch.close();
      });
      for await (const v of ch) got.push([v, now()]);
      endedAt = now();
    });
    expect(out.ok).toBe(true);
    expect(got).toEqual([[10, 1], [20, 3], [30, 6], [40, 10], [50, 15]]);
    expect(endedAt).toBe(15);
  });
});

describe("Cond", () => {
  it("signal wakes the longest waiter only; broadcast wakes all the rest in FIFO order", async () => {
    const w = new World({ seed: 9 });
    const log: string[] = [];
    const out = await w.run(async () => {
      const cond = new Cond("commit");
      for (const [name, at] of [["A", 1], ["B", 2], ["C", 3], ["D", 4]] as const) {
        go(name, async () => {
          await sleep(at);
          await cond.wait();
          log.push(`${name}@${now()}`);
        });
      }
      await sleep(10);
      cond.signal();
      await sleep(10);
      expect(log).toEqual(["A@10"]);
      cond.broadcast();
      await sleep(0);
      // Nothing is left waiting: these are no-ops.
      cond.signal();
      cond.broadcast();
    });
    expect(out.ok).toBe(true);
    expect(log).toEqual(["A@10", "B@20", "C@20", "D@20"]);
  });

  it("does not remember a signal with no waiter (a lost wake-up deadlocks, named)", async () => {
    const w = new World({ seed: 10 });
    const out = await w.run(async () => {
      const cond = new Cond("applyCond");
      cond.signal();
      cond.broadcast();
      await sleep(3);
      await cond.wait();
    });
    expect(out.ok).toBe(false);
    expect(out.failure?.message).toBe("deadlock at 3 ms: the test is waiting but nothing is scheduled; waiting: wait on applyCond");
  });

  it("drives the usual applier loop", async () => {
    const w = new World({ seed: 11 });
    const applied: Array<[number, number]> = [];
    const out = await w.run(async () => {
      const cond = new Cond();
      let commitIndex = 0;
      let lastApplied = 0;
      let killed = false;
      go("applier", async () => {
        while (!killed) {
          while (lastApplied >= commitIndex && !killed) await cond.wait();
          while (lastApplied < commitIndex) applied.push([++lastApplied, now()]);
        }
      });
      for (const [t, ci] of [[5, 2], [7, 3], [20, 6]] as const) {
        await sleep(t - now());
        commitIndex = ci;
        cond.broadcast();
      }
      await sleep(1);
      killed = true;
      cond.signal();
      await sleep(1);
    });
    expect(out.ok).toBe(true);
    expect(applied).toEqual([[1, 5], [2, 5], [3, 7], [4, 20], [5, 20], [6, 20]]);
  });
});
