// Unit tests of the simulated network (src/labrpc) against MIT's labrpc numbers (spec §1):
// every fault knob is measured over thousands of calls with a fixed seed and checked against
// a band derived from its distribution (±4 s.d.), plus the dead-server watch, the counters,
// byte accounting, Cleanup, MIT's error messages, argument/reply isolation and partitions.
import { describe, expect, it } from "vitest";
import { meshEnds } from "./support/net.ts";
import { encode } from "../src/labgob/index.ts";
import { Network, Server, Service, type ClientEnd } from "../src/labrpc/index.ts";
import { World, now, sleep, type TraceEvent } from "../src/sim/index.ts";

// ---------------------------------------------------------------------------------------------
// Harness

interface EchoArgs {
  X: number;
  Pad?: string;
  List?: number[];
}
interface SlowArgs {
  Ms: number;
  List?: number[];
}

/** The service under test: a sync handler, an async one, one that never returns. */
class EchoSvc {
  calls = 0;
  seenArgs: unknown[] = [];
  Echo(args: EchoArgs, reply: Record<string, unknown>): void {
    this.calls++;
    reply.X = args.X;
  }
  async Slow(args: SlowArgs, reply: Record<string, unknown>): Promise<void> {
    this.calls++;
    this.seenArgs.push(structuredClone(args));
    await sleep(args.Ms);
    reply.Done = true;
    reply.At = now();
  }
}

class HangSvc {
  calls = 0;
  Hang(_args: unknown, _reply: Record<string, unknown>): Promise<void> {
    this.calls++;
    return new Promise<void>(() => {}); // never returns, like a handler blocked forever
  }
}

interface Harness {
  net: Network;
  server: Server;
  end: ClientEnd;
}

/** A network with server "s" (service "Svc" on `obj`) and an enabled end "e" connected to it. */
function harness(obj: object = new EchoSvc()): Harness {
  const net = new Network();
  const server = new Server();
  server.AddService(new Service(obj, "Svc"));
  net.AddServer("s", server);
  const end = net.MakeEnd("e");
  net.Connect("e", "s");
  net.Enable("e", true);
  end.owner = 0;
  end.target = 1;
  return { net, server, end };
}

function serverFor(obj: object, name = "Svc"): Server {
  const s = new Server();
  s.AddService(new Service(obj, name));
  return s;
}

interface Timed {
  ok: boolean;
  start: number;
  dt: number;
  reply: Record<string, unknown>;
}

async function timedCall(end: ClientEnd, svcMeth: string, args: unknown, reply: Record<string, unknown> = {}): Promise<Timed> {
  const start = now();
  const ok = await end.Call(svcMeth, args, reply);
  return { ok, start, dt: now() - start, reply };
}

/** Starts `n` calls at once and waits for all of them. */
function many(n: number, f: (i: number) => Promise<Timed>): Promise<Timed[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => f(i)));
}

/** |actual - expected| ≤ k s.d. */
function expectWithin(label: string, actual: number, expected: number, sd: number, k = 4): void {
  expect(Math.abs(actual - expected), `${label}: ${actual}, expected ${expected} ± ${k}×${sd.toFixed(2)}`).toBeLessThanOrEqual(k * sd);
}

/** A Binomial(n, p) count within ±k s.d. of its mean. */
function expectBinomial(label: string, count: number, n: number, p: number, k = 4): void {
  expectWithin(label, count, n * p, Math.sqrt(n * p * (1 - p)), k);
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
/** s.d. of U(0..m-1), a uniform integer. */
const uniformSd = (m: number): number => Math.sqrt((m * m - 1) / 12);

function failReasons(w: World): Map<string, number> {
  const counts = new Map<string, number>();
  for (const ev of w.trace.kept()) {
    if (ev.topic !== "drop") continue;
    const reason = String(ev.data?.reason);
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  return counts;
}

async function runOk(seed: number, body: (w: World) => Promise<void>, keepAll = false): Promise<World> {
  const w = new World({ seed, trace: { keepAll } });
  const out = await w.run(() => body(w));
  expect(out.failure?.message, out.failure?.stack).toBeUndefined();
  expect(out.ok).toBe(true);
  return w;
}

// ---------------------------------------------------------------------------------------------

describe("a reliable network", () => {
  it("delivers a sync handler's reply at the same instant", async () => {
    await runOk(1, async () => {
      const { net, end } = harness();
      await sleep(10);
      const r = await timedCall(end, "Svc.Echo", { X: 42 });
      expect(r).toEqual({ ok: true, start: 10, dt: 0, reply: { X: 42 } });
      expect(net.GetCount("s")).toBe(1);
      expect(net.GetTotalCount()).toBe(1);
      expect(net.isReliable).toBe(true);
    });
  });

  it("answers an async handler when it returns, with its reply", async () => {
    await runOk(2, async () => {
      const { end } = harness();
      const r = await timedCall(end, "Svc.Slow", { Ms: 30 });
      expect(r.ok).toBe(true);
      expect(r.dt).toBe(30);
      expect(r.reply).toEqual({ Done: true, At: 30 });
    });
  });

  it("lets many calls be in flight on one end, answered as their handlers finish", async () => {
    await runOk(3, async () => {
      const { end } = harness();
      const order: number[] = [];
      await Promise.all([50, 10, 30, 20].map(async (ms) => {
        const r = await timedCall(end, "Svc.Slow", { Ms: ms });
        expect(r.ok && r.dt === ms).toBe(true);
        order.push(ms);
      }));
      expect(order).toEqual([10, 20, 30, 50]);
    });
  });
});

describe("an unreliable network (MIT: 10% request loss, 10% reply loss, U(0..26) ms delay)", () => {
  it("loses ≈10% of requests and ≈10% of replies: ≈81% succeed", async () => {
    const N = 10_000;
    let received = 0;
    let succeeded = 0;
    const w = await runOk(4, async () => {
      const obj = new EchoSvc();
      const { net, end } = harness(obj);
      net.Reliable(false);
      expect(net.isReliable).toBe(false);
      const results = await many(N, (i) => timedCall(end, "Svc.Echo", { X: i }));
      received = net.GetCount("s");
      succeeded = results.filter((r) => r.ok).length;
      expect(obj.calls).toBe(received);
      expect(net.GetTotalCount()).toBe(N);
      // A successful call got its own reply.
      expect(results.every((r, i) => !r.ok || r.reply.X === i)).toBe(true);
      // A failed call left its reply object alone.
      expect(results.every((r) => r.ok || Object.keys(r.reply).length === 0)).toBe(true);
    }, true);
    expectBinomial("requests that reached the handler", received, N, 0.9);
    expectBinomial("replies delivered of those received", succeeded, received, 0.9);
    expectBinomial("calls that succeeded", succeeded, N, 0.81);
    const reasons = failReasons(w);
    expect(reasons.get("request lost")).toBe(N - received);
    expect(reasons.get("reply lost")).toBe(received - succeeded);
    expect([...reasons.keys()].sort()).toEqual(["reply lost", "request lost"]);
  });

  it("delays each request by U(0..26) ms, lost or not", async () => {
    const N = 10_000;
    await runOk(5, async () => {
      const { net, end } = harness();
      net.Reliable(false);
      const results = await many(N, (i) => timedCall(end, "Svc.Echo", { X: i }));
      const ok = results.filter((r) => r.ok).map((r) => r.dt);
      const failed = results.filter((r) => !r.ok).map((r) => r.dt);
      expect(Math.min(...ok, ...failed)).toBe(0);
      expect(Math.max(...ok, ...failed)).toBe(26);
      expect(new Set(ok).size).toBe(27); // every value in 0..26 occurs
      expect(ok.every((d) => Number.isInteger(d))).toBe(true);
      expectWithin("mean delay of successful calls", mean(ok), 13, uniformSd(27) / Math.sqrt(ok.length));
    });
  });

  it("switching back to reliable affects only calls accepted afterwards", async () => {
    await runOk(6, async () => {
      const { net, end } = harness();
      net.Reliable(false);
      const before = many(200, (i) => timedCall(end, "Svc.Echo", { X: i }));
      net.Reliable(true);
      const after = await many(200, (i) => timedCall(end, "Svc.Echo", { X: i }));
      expect(after.every((r) => r.ok && r.dt === 0)).toBe(true);
      const b = await before;
      expect(b.some((r) => !r.ok)).toBe(true); // captured when accepted: still unreliable
      expect(b.some((r) => r.dt > 0)).toBe(true);
    });
  });
});

describe("unreachable targets answer false after a simulated timeout", () => {
  type Case = "disabled end" | "no server in the slot" | "unconnected end" | "deleted server";
  const cases: Case[] = ["disabled end", "no server in the slot", "unconnected end", "deleted server"];

  /** A harness whose end "e" cannot reach the server, for the given reason. */
  function unreachable(c: Case, obj: EchoSvc): { net: Network; end: ClientEnd } {
    const net = new Network();
    net.AddServer("s", serverFor(obj));
    const end = net.MakeEnd("e");
    if (c !== "unconnected end") net.Connect("e", c === "no server in the slot" ? "nobody" : "s");
    net.Enable("e", c !== "disabled end");
    if (c === "deleted server") net.DeleteServer("s");
    return { net, end };
  }

  for (const c of cases) {
    it(`${c}: U(0..6999) ms with long delays (mean ≈ 3500), U(0..99) ms without`, async () => {
      const N = 3000;
      await runOk(7, async () => {
        const obj = new EchoSvc();
        const { net, end } = unreachable(c, obj);
        net.Reliable(c === "deleted server"); // either way; the handler is never reached
        net.LongDelays(true);
        const long = (await many(N, (i) => timedCall(end, "Svc.Echo", { X: i }))).map((r) => {
          expect(r.ok).toBe(false);
          return r.dt;
        });
        expect(Math.min(...long)).toBeGreaterThanOrEqual(0);
        expect(Math.min(...long)).toBeLessThan(50);
        expect(Math.max(...long)).toBeLessThanOrEqual(6999);
        expect(Math.max(...long)).toBeGreaterThan(6950);
        expect(long.every((d) => Number.isInteger(d))).toBe(true);
        expectWithin("mean with long delays", mean(long), 3499.5, uniformSd(7000) / Math.sqrt(N));

        net.LongDelays(false);
        const short = (await many(N, (i) => timedCall(end, "Svc.Echo", { X: i }))).map((r) => {
          expect(r.ok).toBe(false);
          return r.dt;
        });
        expect(Math.min(...short)).toBe(0);
        expect(Math.max(...short)).toBe(99);
        expect(new Set(short).size).toBe(100);
        expectWithin("mean without long delays", mean(short), 49.5, uniformSd(100) / Math.sqrt(N));

        // Sends, so counted; never reached a handler.
        expect(obj.calls).toBe(0);
        expect(net.GetTotalCount()).toBe(2 * N);
      });
    });
  }

  it("reach again once connected and enabled", async () => {
    await runOk(8, async () => {
      const net = new Network();
      net.AddServer("s", serverFor(new EchoSvc()));
      const end = net.MakeEnd("e");
      expect((await timedCall(end, "Svc.Echo", { X: 1 })).ok).toBe(false);
      net.Connect("e", "s");
      expect((await timedCall(end, "Svc.Echo", { X: 1 })).ok).toBe(false); // still disabled
      net.Enable("e", true);
      expect(await timedCall(end, "Svc.Echo", { X: 1 })).toMatchObject({ ok: true, dt: 0, reply: { X: 1 } });
    });
  });
});

describe("long reordering (MIT: 2/3 of replies delayed 200 + U(0..U(0..1999)) ms)", () => {
  it("delays ≈2/3 of replies by 200..2199 ms, skewed low (mean ≈ 700, median ≈ 573)", async () => {
    const N = 9000;
    await runOk(9, async () => {
      const obj = new EchoSvc();
      const { net, end } = harness(obj);
      net.LongReordering(true);
      const results = await many(N, (i) => timedCall(end, "Svc.Echo", { X: i }));
      expect(results.every((r, i) => r.ok && r.reply.X === i)).toBe(true);
      expect(obj.calls).toBe(N); // requests are never delayed: every handler ran at t=0
      const delayed = results.filter((r) => r.dt > 0).map((r) => r.dt);
      expectBinomial("replies delayed", delayed.length, N, 2 / 3);
      expect(Math.min(...delayed)).toBeGreaterThanOrEqual(200);
      expect(Math.max(...delayed)).toBeLessThanOrEqual(2199);
      expect(Math.min(...delayed)).toBeLessThan(210);
      expect(Math.max(...delayed)).toBeGreaterThan(1700);
      // X = U(0..K), K = U(0..1999): E[X] = 499.75, Var[X] ≈ E[K²]/3 − E[X]² ≈ 194,000 (s.d. ≈ 441).
      expectWithin("mean delay", mean(delayed), 699.75, 441 / Math.sqrt(delayed.length));
      // The median of K·U is ≈ 0.1867·2000 (x − x·ln x = ½), so ≈ 573 ms; a uniform 200..2199
      // would put it at 1199.5.
      const med = median(delayed);
      expect(med).toBeGreaterThan(530);
      expect(med).toBeLessThan(620);
      // Skew: P(X < 500) = ¼ − ¼·ln ¼ ≈ 0.597; uniform would give 0.25.
      expectBinomial("delays below 700 ms", delayed.filter((d) => d < 700).length, delayed.length, 0.5966);
    });
  });

  it("applies on an unreliable network too, on top of the loss and the short delay", async () => {
    const N = 9000;
    await runOk(10, async () => {
      const { net, end } = harness();
      net.Reliable(false);
      net.LongReordering(true);
      const results = await many(N, (i) => timedCall(end, "Svc.Echo", { X: i }));
      const ok = results.filter((r) => r.ok);
      expectBinomial("calls that succeeded", ok.length, N, 0.81);
      expectBinomial("replies delayed ≥ 200 ms", ok.filter((r) => r.dt >= 200).length, ok.length, 2 / 3);
      expect(Math.max(...ok.map((r) => r.dt))).toBeLessThanOrEqual(2199 + 26);
      // Lost requests and replies are never held back.
      expect(results.filter((r) => !r.ok).every((r) => r.dt <= 26)).toBe(true);
    });
  });
});

describe("dead-server detection", () => {
  const starts = [0, 37, 150, 260, 999, 1233];

  it("a handler that never returns on a server that gets deleted: false within 100 ms of the deletion", async () => {
    await runOk(11, async () => {
      const obj = new HangSvc();
      const { net, end } = harness(obj);
      const calls = starts.map(async (t) => {
        await sleep(t);
        return timedCall(end, "Svc.Hang", {});
      });
      await sleep(1234);
      net.DeleteServer("s");
      const results = await Promise.all(calls);
      expect(obj.calls).toBe(starts.length);
      for (const r of results) {
        expect(r.ok).toBe(false);
        const answeredAt = r.start + r.dt;
        expect(answeredAt).toBeGreaterThanOrEqual(1234);
        expect(answeredAt).toBeLessThanOrEqual(1334);
        // The watch runs every 100 ms of the call's own life.
        expect(r.dt % 100).toBe(0);
      }
    });
  });

  it("disabling the end mid-call likewise answers false within 100 ms", async () => {
    await runOk(12, async () => {
      const { net, end } = harness(new HangSvc());
      const calls = starts.map(async (t) => {
        await sleep(t);
        return timedCall(end, "Svc.Hang", {});
      });
      await sleep(1234);
      net.Enable("e", false);
      for (const r of await Promise.all(calls)) {
        expect(r.ok).toBe(false);
        expect(r.start + r.dt).toBeGreaterThanOrEqual(1234);
        expect(r.start + r.dt).toBeLessThanOrEqual(1334);
      }
    });
  });

  it("a slow handler whose server is deleted answers false at the watch, and only once", async () => {
    await runOk(13, async () => {
      const { net, end } = harness();
      const reply: Record<string, unknown> = { Old: 1 };
      const call = timedCall(end, "Svc.Slow", { Ms: 500 }, reply);
      await sleep(150);
      net.DeleteServer("s");
      const r = await call;
      expect(r.ok).toBe(false);
      expect(r.dt).toBe(200);
      await sleep(1000); // the handler finishes at 500; its result is thrown away
      expect(reply).toEqual({ Old: 1 });
    });
  });

  it("a handler completing after its server was replaced answers false", async () => {
    await runOk(14, async () => {
      const { net, end } = harness();
      const call = timedCall(end, "Svc.Slow", { Ms: 50 });
      await sleep(20);
      const fresh = serverFor(new EchoSvc());
      net.AddServer("s", fresh); // a restart: same slot, new server object
      const r = await call;
      expect(r.ok).toBe(false);
      expect(r.dt).toBe(50); // at the handler's return, before the first watch
      expect(r.reply).toEqual({});
      expect(net.GetCount("s")).toBe(0); // the new server starts at 0
      // The new server answers new calls.
      expect(await timedCall(end, "Svc.Echo", { X: 3 })).toMatchObject({ ok: true, reply: { X: 3 } });
      expect(net.GetCount("s")).toBe(1);
    });
  });

  it("putting the very same server object back before the handler returns keeps the call alive (as in MIT)", async () => {
    await runOk(15, async () => {
      const { net, server, end } = harness();
      const call = timedCall(end, "Svc.Slow", { Ms: 50 });
      await sleep(20);
      net.DeleteServer("s");
      await sleep(10);
      net.AddServer("s", server);
      const r = await call;
      expect(r).toMatchObject({ ok: true, dt: 50, reply: { Done: true, At: 50 } });
    });
  });

  it("a handler completing after its end was disabled answers false", async () => {
    await runOk(16, async () => {
      const { net, end } = harness();
      const call = timedCall(end, "Svc.Slow", { Ms: 40 });
      await sleep(10);
      net.Enable("e", false);
      await sleep(10);
      net.Enable("e", true); // re-enabled before the handler returns: alive again
      expect(await call).toMatchObject({ ok: true, dt: 40 });
      const call2 = timedCall(end, "Svc.Slow", { Ms: 40 });
      await sleep(10);
      net.Enable("e", false);
      expect(await call2).toMatchObject({ ok: false, dt: 40 });
    });
  });
});

describe("counters", () => {
  it("GetTotalCount counts every accepted request, GetCount only handler receipts", async () => {
    await runOk(17, async () => {
      const obj = new EchoSvc();
      const { net, end } = harness(obj);
      const other = net.MakeEnd("x"); // disabled and unconnected
      net.LongDelays(true);
      await Promise.all([
        ...Array.from({ length: 5 }, (_, i) => end.Call("Svc.Echo", { X: i }, {})),
        ...Array.from({ length: 7 }, (_, i) => other.Call("Svc.Echo", { X: i }, {})),
      ]);
      expect(net.GetTotalCount()).toBe(12);
      expect(net.GetCount("s")).toBe(5);
      net.Reliable(false);
      const N = 2000;
      await Promise.all(Array.from({ length: N }, (_, i) => end.Call("Svc.Echo", { X: i }, {})));
      expect(net.GetTotalCount()).toBe(12 + N);
      expect(net.GetCount("s")).toBe(obj.calls);
      expectBinomial("receipts after request loss", net.GetCount("s") - 5, N, 0.9);
    });
  });

  it("a replaced server starts again at 0; a missing one is an error", async () => {
    await runOk(18, async () => {
      const { net, end } = harness();
      await end.Call("Svc.Echo", { X: 1 }, {});
      await end.Call("Svc.Echo", { X: 1 }, {});
      expect(net.GetCount("s")).toBe(2);
      net.AddServer("s", serverFor(new EchoSvc()));
      expect(net.GetCount("s")).toBe(0);
      await end.Call("Svc.Echo", { X: 1 }, {});
      expect(net.GetCount("s")).toBe(1);
      expect(net.GetTotalCount()).toBe(3);
      net.DeleteServer("s");
      expect(() => net.GetCount("s")).toThrow("labrpc: GetCount(s): there is no server named s");
      net.AddServer(3, serverFor(new EchoSvc()));
      expect(net.GetCount(3)).toBe(0);
      expect(net.GetCount("3")).toBe(0); // numeric and string names are the same slot
    });
  });
});

describe("bytes", () => {
  const args = { X: 300, Pad: "some padding", List: [1, 2, 3] };
  const argBytes = encode(args, "args").length;
  const replyBytes = encode({ X: 300 }, "reply").length;

  it("counts args on accept and the reply when it is delivered", async () => {
    await runOk(19, async () => {
      const { net, end } = harness();
      expect(net.GetTotalBytes()).toBe(0);
      await end.Call("Svc.Echo", args, {});
      expect(net.GetTotalBytes()).toBe(argBytes + replyBytes);

      // Long reordering: the args count at once, a held-back reply only when it arrives.
      net.LongReordering(true);
      let delayed = 0;
      let immediate = 0;
      for (let i = 0; i < 30; i++) {
        const before = net.GetTotalBytes();
        const start = now();
        const call = end.Call("Svc.Echo", args, {});
        expect(net.GetTotalBytes() - before).toBe(argBytes); // the args count on accept
        await sleep(0); // the request, the handler and an undelayed reply run as tasks, before the clock moves
        const atAccept = net.GetTotalBytes() - before;
        if (atAccept === argBytes) {
          delayed++;
          await sleep(199);
          expect(net.GetTotalBytes() - before).toBe(argBytes); // still on its way
        } else {
          immediate++;
          expect(atAccept).toBe(argBytes + replyBytes); // delivered at once
        }
        expect(await call).toBe(true);
        expect(net.GetTotalBytes() - before).toBe(argBytes + replyBytes);
        if (atAccept === argBytes) expect(now() - start).toBeGreaterThanOrEqual(200);
      }
      expect(delayed).toBeGreaterThan(0);
      expect(immediate).toBeGreaterThan(0);
    });
  });

  it("adds nothing for a reply that is lost, thrown away or never produced", async () => {
    await runOk(20, async () => {
      const { net, end } = harness();
      // Unreachable: args only.
      net.Enable("e", false);
      await end.Call("Svc.Echo", args, {});
      expect(net.GetTotalBytes()).toBe(argBytes);
      net.Enable("e", true);
      // The server died while the handler ran: args only.
      const slowArgs = { Ms: 50 };
      const call = end.Call("Svc.Slow", slowArgs, {});
      await sleep(10);
      net.AddServer("s", serverFor(new EchoSvc()));
      expect(await call).toBe(false);
      expect(net.GetTotalBytes()).toBe(argBytes + encode(slowArgs, "a").length);
    });
  });

  it("on an unreliable network totals N·args + delivered·reply", async () => {
    const N = 3000;
    await runOk(21, async () => {
      const { net, end } = harness();
      net.Reliable(false);
      const oks = await Promise.all(Array.from({ length: N }, () => end.Call("Svc.Echo", args, {})));
      const delivered = oks.filter(Boolean).length;
      expect(delivered).toBeLessThan(N);
      expect(net.GetTotalBytes()).toBe(N * argBytes + delivered * replyBytes);
    });
  });
});

describe("Cleanup", () => {
  it("makes later calls answer false at once, uncounted; accepted calls finish as usual", async () => {
    await runOk(22, async () => {
      const obj = new EchoSvc();
      const { net, end } = harness(obj);
      const inFlight = timedCall(end, "Svc.Slow", { Ms: 300 });
      await sleep(1);
      const count = net.GetTotalCount();
      const bytes = net.GetTotalBytes();
      net.Cleanup();
      const r = await timedCall(end, "Svc.Echo", { X: 1 });
      expect(r).toEqual({ ok: false, start: 1, dt: 0, reply: {} });
      expect(net.GetTotalCount()).toBe(count);
      expect(net.GetTotalBytes()).toBe(bytes);
      expect(obj.calls).toBe(1);
      expect(await inFlight).toMatchObject({ ok: true, dt: 300, reply: { Done: true } });
      // Even a call that would fail the run (unencodable args) is refused quietly now.
      expect(await end.Call("Svc.Echo", { F: () => 1 }, {})).toBe(false);
    });
  });
});

describe("errors", () => {
  it("MakeEnd with a duplicate name", async () => {
    await runOk(23, async () => {
      const net = new Network();
      net.MakeEnd("x");
      expect(() => net.MakeEnd("x")).toThrow(new Error("MakeEnd: x already exists"));
    });
  });

  async function failing(seed: number, body: () => Promise<void>): Promise<{ message: string; virtualMs: number }> {
    const w = new World({ seed });
    const out = await w.run(body);
    expect(out.ok).toBe(false);
    return { message: out.failure!.message, virtualMs: out.virtualMs };
  }

  it("an unknown method fails the run with MIT's message", async () => {
    let answered: boolean | undefined;
    const f = await failing(24, async () => {
      const { end } = harness();
      await sleep(3);
      answered = await end.Call("Svc.Nope", {}, {});
      await sleep(100);
    });
    expect(f.message).toBe("labrpc.Service.dispatch(): unknown method Nope in Svc; expecting one of [Echo Slow]");
    expect(f.virtualMs).toBe(3);
    expect(answered).toBe(false);
  });

  it("an unknown service fails the run with MIT's message, listing the services sorted", async () => {
    const f = await failing(25, async () => {
      const { server, end } = harness();
      server.AddService(new Service(new HangSvc(), "Raft"));
      await end.Call("KV.Get", {}, {});
      await sleep(100);
    });
    expect(f.message).toBe("labrpc.Server.dispatch(): unknown service KV in KV.Get; expecting one of [Raft Svc]");
  });

  it("a sync handler that throws fails the run naming the handler and the peer", async () => {
    class Boomer {
      Boom(): void {
        throw new Error("kaboom");
      }
    }
    const f = await failing(26, async () => {
      const { end } = harness(new Boomer());
      end.target = 2;
      await sleep(5);
      await end.Call("Svc.Boom", {}, {});
      await sleep(100);
    });
    expect(f.message).toBe("the Svc.Boom handler of peer 2 threw at 5 ms: Error: kaboom");
    expect(f.virtualMs).toBe(5);
  });

  it("an async handler that throws fails the run likewise", async () => {
    class Boomer {
      async Boom(): Promise<void> {
        await sleep(8);
        throw new TypeError("late");
      }
    }
    const f = await failing(27, async () => {
      const { end } = harness(new Boomer());
      end.target = 4;
      await end.Call("Svc.Boom", {}, {});
      await sleep(100);
    });
    expect(f.message).toBe("the Svc.Boom handler of peer 4 threw at 8 ms: TypeError: late");
    expect(f.virtualMs).toBe(8);
  });

  it("unencodable args fail the run with the labgob path, uncounted", async () => {
    let count = -1;
    const f = await failing(28, async () => {
      const { net, end } = harness();
      end.owner = 3;
      await sleep(2);
      try {
        await end.Call("Svc.Echo", { X: 1, F: () => 1 }, {});
      } finally {
        count = net.GetTotalCount();
      }
      await sleep(100);
    });
    expect(f.message).toBe("labgob: cannot encode Svc.Echo args.F: function (peer 3 calling Svc.Echo)");
    expect(f.virtualMs).toBe(2);
    expect(count).toBe(0);
  });

  it("an unencodable reply fails the run naming the handler", async () => {
    class Bad {
      Leak(_a: unknown, reply: Record<string, unknown>): void {
        reply.Fn = () => 0;
      }
    }
    const f = await failing(29, async () => {
      const { end } = harness(new Bad());
      await end.Call("Svc.Leak", {}, {});
      await sleep(100);
    });
    expect(f.message).toBe("labgob: cannot encode Svc.Leak reply.Fn: function (the Svc.Leak handler of peer 1)");
  });

  it("a reply that is not an object fails the run", async () => {
    const f = await failing(30, async () => {
      const { end } = harness();
      await end.Call("Svc.Echo", { X: 1 }, null as unknown as object);
      await sleep(100);
    });
    expect(f.message).toBe("labrpc: Svc.Echo was called with a reply that is not an object (null); pass a fresh {} to be filled in");
  });
});

describe("isolation", () => {
  it("a handler mutating its args does not touch the caller's", async () => {
    class Mutator {
      got: unknown;
      Mutate(args: { List: number[]; Inner: { V: number } }, reply: Record<string, unknown>): void {
        this.got = args;
        args.List.push(99);
        args.Inner.V = -1;
        reply.Len = args.List.length;
      }
    }
    await runOk(31, async () => {
      const obj = new Mutator();
      const { end } = harness(obj);
      const args = { List: [1, 2], Inner: { V: 5 } };
      const reply: Record<string, unknown> = {};
      expect(await end.Call("Svc.Mutate", args, reply)).toBe(true);
      expect(args).toEqual({ List: [1, 2], Inner: { V: 5 } });
      expect(obj.got).not.toBe(args);
      expect(reply).toEqual({ Len: 3 });
    });
  });

  it("the caller mutating its args after Call does not reach the server", async () => {
    await runOk(32, async () => {
      const obj = new EchoSvc();
      const { net, end } = harness(obj);
      net.Reliable(false); // the request is in flight for up to 26 ms
      const args = { Ms: 1, List: [1, 2, 3] };
      let ok = false;
      for (let i = 0; i < 20 && !ok; i++) {
        const call = end.Call("Svc.Slow", args, {});
        args.List.push(4);
        args.Ms = 1000;
        ok = await call;
        args.List = [1, 2, 3];
        args.Ms = 1;
      }
      expect(ok).toBe(true);
      for (const seen of obj.seenArgs) expect(seen).toEqual({ Ms: 1, List: [1, 2, 3] });
    });
  });

  it("fills the caller's own reply object, clearing stale keys; a failed call leaves it alone", async () => {
    class Keeper {
      kept: Record<string, unknown>[] = [];
      Fill(args: { X: number }, reply: Record<string, unknown>): void {
        reply.X = args.X;
        reply.Obj = { Deep: [args.X] };
        this.kept.push(reply);
      }
    }
    await runOk(33, async () => {
      const obj = new Keeper();
      const { net, end } = harness(obj);
      const reply: Record<string, unknown> = { Stale: "old", X: 0 };
      expect(await end.Call("Svc.Fill", { X: 7 }, reply)).toBe(true);
      expect(reply).toEqual({ X: 7, Obj: { Deep: [7] } });
      expect(reply).not.toBe(obj.kept[0]);
      // The handler keeping and mutating its reply object later changes nothing the caller has.
      (obj.kept[0]!.Obj as { Deep: number[] }).Deep.push(8);
      expect(reply).toEqual({ X: 7, Obj: { Deep: [7] } });
      // A failed call leaves the caller's reply exactly as it was.
      net.Enable("e", false);
      const stale: Record<string, unknown> = { Stale: "kept" };
      expect(await end.Call("Svc.Fill", { X: 8 }, stale)).toBe(false);
      expect(stale).toEqual({ Stale: "kept" });
    });
  });

  it("reports args mutated while the call was in flight to onArgsMutated", async () => {
    await runOk(34, async () => {
      const { net, end } = harness();
      const seen: string[] = [];
      net.onArgsMutated = (rec) => seen.push(`${rec.svcMeth} #${rec.id}`);
      const a = { Ms: 10, List: [1] };
      const call = end.Call("Svc.Slow", a, {});
      a.List.push(2);
      expect(await call).toBe(true);
      const b = { Ms: 10, List: [1] };
      expect(await end.Call("Svc.Slow", b, {})).toBe(true);
      expect(seen).toEqual(["Svc.Slow #1"]);
    });
  });
});

describe("services", () => {
  it("expose upper-case methods (inherited too, and function-valued fields), not the lab API or lower-case names", () => {
    class Base {
      Inherited(): void {}
    }
    class Raft extends Base {
      // An arrow-function field (a handler bound to its instance) is a handler too.
      Field = (): void => {};
      Count = 3;
      RequestVote(): void {}
      AppendEntries(): void {}
      Start(): void {}
      GetState(): void {}
      Snapshot(): void {}
      Kill(): void {}
      helper(): void {}
    }
    const svc = new Service(new Raft());
    expect(svc.name).toBe("Raft");
    expect(svc.methodNames()).toEqual(["AppendEntries", "Field", "Inherited", "RequestVote"]);
    expect(svc.handler("Start")).toBeUndefined();
    expect(new Service(new Raft(), "Other").name).toBe("Other");
  });
});

describe("partitions", () => {
  it("enabling and disabling ends cuts each direction independently", async () => {
    await runOk(35, async () => {
      const net = new Network();
      for (let i = 0; i < 2; i++) net.AddServer(i, serverFor(new EchoSvc()));
      const ends = meshEnds(net, 2);
      const probe = async (): Promise<string> => {
        const [a, b] = await Promise.all([
          ends[0]![1]!.Call("Svc.Echo", { X: 1 }, {}),
          ends[1]![0]!.Call("Svc.Echo", { X: 2 }, {}),
        ]);
        return `0->1 ${a ? "ok" : "cut"}, 1->0 ${b ? "ok" : "cut"}`;
      };
      expect(await probe()).toBe("0->1 ok, 1->0 ok");
      net.Enable("end-0-1", false);
      expect(await probe()).toBe("0->1 cut, 1->0 ok");
      net.Enable("end-1-0", false);
      expect(await probe()).toBe("0->1 cut, 1->0 cut");
      net.Enable("end-0-1", true);
      expect(await probe()).toBe("0->1 ok, 1->0 cut");
      net.Enable("end-1-0", true);
      expect(await probe()).toBe("0->1 ok, 1->0 ok");
      // A peer's end to itself is unaffected by the others.
      expect(await ends[0]![0]!.Call("Svc.Echo", { X: 3 }, {})).toBe(true);
      expect(net.GetCount(0)).toBe(4);
      expect(net.GetCount(1)).toBe(3);
    });
  });
});

describe("trace", () => {
  it("records send, receipt and reply with the ends' owner and target", async () => {
    const w = await runOk(36, async () => {
      const { net, end } = harness();
      await sleep(4);
      await end.Call("Svc.Echo", { X: 5 }, {});
      net.Enable("e", false);
      await end.Call("Svc.Echo", { X: 6 }, {});
    }, true);
    const evs = w.trace.kept().map((e: TraceEvent) => `${e.t} p${e.peer} ${e.topic} ${e.msg}`);
    expect(evs[0]).toBe("4 p0 rpc send #1 Svc.Echo -> 1 X=5");
    expect(evs[1]).toBe("4 p1 rpc recv #1 Svc.Echo <- 0");
    expect(evs[2]).toBe("4 p0 rpc reply #1 Svc.Echo <- 1 X=5");
    expect(evs[3]).toBe("4 p0 rpc send #2 Svc.Echo -> 1 X=6");
    expect(evs[4]).toMatch(/^\d+ p0 drop fail #2 Svc\.Echo -> 1: unreachable$/);
    expect(evs).toHaveLength(5);
  });
});

describe("every request, handler and reply is a task of its own (labrpc's goroutines)", () => {
  /** Five callers, started together with go(), call one handler on a reliable network. */
  const arrivalOrder = async (seed: number): Promise<string> => {
    const order: number[] = [];
    const svc = { Note(a: { From: number }, r: Record<string, unknown>): void { order.push(a.From); r.Ok = true; } };
    await runOk(seed, async () => {
      const { end } = harness(svc);
      const done: Promise<boolean>[] = [];
      for (let i = 0; i < 5; i++) done.push(end.Call("Svc.Note", { From: i }, {}));
      expect(order).toEqual([]); // nothing ran inside the callers' synchronous code
      expect(await Promise.all(done)).toEqual([true, true, true, true, true]);
      expect(now()).toBe(0); // and it took no virtual time
    });
    return order.join("");
  };

  it("concurrent calls reach the handler in more than one order across seeds, the same order for the same seed", async () => {
    const orders = new Set<string>();
    for (let seed = 1; seed <= 10; seed++) orders.add(await arrivalOrder(seed));
    expect(orders.size).toBeGreaterThan(1);
    expect(await arrivalOrder(3)).toBe(await arrivalOrder(3));
  });

  it("a call to oneself never re-enters one's own handler in the middle of the caller's code", async () => {
    const steps: string[] = [];
    const self = {
      Ping(_a: unknown, r: Record<string, unknown>): void { steps.push("handler"); r.Ok = true; },
    };
    await runOk(4, async () => {
      const { end } = harness(self);
      const call = end.Call("Svc.Ping", {}, {});
      steps.push("caller continues");
      expect(await call).toBe(true);
      steps.push("reply");
    });
    expect(steps).toEqual(["caller continues", "handler", "reply"]);
  });
});
