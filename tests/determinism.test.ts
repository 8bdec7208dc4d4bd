// Determinism: a scripted multi-peer workload over a hostile network (unreliable, long
// delays, long reordering, partitions, server restarts) is a pure function of its seed.
// Two runs with the same seed give the same trace hash, event count, virtual end time and
// RPC/byte totals; another seed gives a different run. Runs of other seeds in between must
// not disturb a replay (no state leaks between worlds).
import { describe, expect, it } from "vitest";
import { meshEnds } from "./support/net.ts";
import { Network, Server, Service } from "../src/labrpc/index.ts";
import { loadImpl, runTest } from "../src/config/index.ts";
import { World, go, now, sleep, type RunOutcome } from "../src/sim/index.ts";
import { allTests } from "./suites/index.ts";

const PEERS = 5;
const ROUNDS = 60;

class Peer {
  received = 0;
  constructor(readonly me: number, private readonly w: World) {}

  Ping(args: { From: number; Seq: number; Pad: string }, reply: Record<string, unknown>): void {
    this.received++;
    reply.Me = this.me;
    reply.Echo = args.Seq;
    reply.Len = args.Pad.length;
    reply.Seen = this.received;
  }

  async Work(args: { From: number; Seq: number; Items: number[] }, reply: Record<string, unknown>): Promise<void> {
    this.received++;
    await sleep(this.w.rng(`handler-${this.me}`).intn(300));
    reply.Sum = args.Items.reduce((a, b) => a + b, 0);
    reply.At = now();
  }
}

interface Summary {
  outcome: RunOutcome;
  rpcs: number;
  bytes: number;
  perServer: number[];
  trace: string[];
  okCalls: number;
}

async function workload(seed: string | number): Promise<Summary> {
  const w = new World({ seed, trace: { keepAll: true } });
  let rpcs = 0;
  let bytes = 0;
  let perServer: number[] = [];
  let okCalls = 0;
  const outcome = await w.run(async () => {
    const net = new Network();
    net.Reliable(false);
    net.LongDelays(true);
    net.LongReordering(true);
    const servers: Server[] = [];
    const startServer = (i: number): void => {
      const s = new Server();
      s.AddService(new Service(new Peer(i, w), "Peer"));
      servers[i] = s;
      net.AddServer(i, s);
    };
    for (let i = 0; i < PEERS; i++) startServer(i);
    const ends = meshEnds(net, PEERS);

    // The tester: random partitions and restarts, from its own stream.
    let stop = false;
    go("tester", async () => {
      const r = w.rng("tester");
      while (!stop) {
        await sleep(100 + r.intn(400));
        const victim = r.intn(PEERS);
        switch (r.intn(3)) {
          case 0: // disconnect the victim both ways
            for (let j = 0; j < PEERS; j++) {
              net.Enable(`end-${victim}-${j}`, false);
              net.Enable(`end-${j}-${victim}`, false);
            }
            w.record(-1, "partition", `disconnect ${victim}`);
            break;
          case 1: // reconnect everybody
            for (let i = 0; i < PEERS; i++) for (let j = 0; j < PEERS; j++) net.Enable(`end-${i}-${j}`, true);
            w.record(-1, "partition", "heal");
            break;
          default: // restart the victim's server
            net.DeleteServer(victim);
            await sleep(r.intn(50));
            startServer(victim);
            w.record(-1, "crash", `restart ${victim}`);
        }
      }
    });

    const peers = Array.from({ length: PEERS }, (_, i) => (async () => {
      const r = w.rng(`peer-${i}`);
      const inFlight: Promise<void>[] = [];
      for (let seq = 0; seq < ROUNDS; seq++) {
        await sleep(r.intn(60));
        const to = r.intn(PEERS);
        const call = async (): Promise<void> => {
          if (r.intn(2) === 0) {
            const reply: Record<string, unknown> = {};
            const ok = await ends[i]![to]!.Call("Peer.Ping", { From: i, Seq: seq, Pad: "x".repeat(r.intn(40)) }, reply);
            if (ok) okCalls++;
            w.record(i, "rpc", `ping ${seq} -> ${to}: ${ok} ${JSON.stringify(reply)}`);
          } else {
            const items = Array.from({ length: r.intn(10) }, () => r.intn(1000));
            const reply: Record<string, unknown> = {};
            const ok = await ends[i]![to]!.Call("Peer.Work", { From: i, Seq: seq, Items: items }, reply);
            if (ok) okCalls++;
            w.record(i, "rpc", `work ${seq} -> ${to}: ${ok} ${JSON.stringify(reply)}`);
          }
        };
        // Half the calls are awaited, half run concurrently with the loop.
        if (r.intn(2) === 0) await call();
        else inFlight.push(call());
      }
      await Promise.all(inFlight);
    })());
    await Promise.all(peers);
    stop = true;
    rpcs = net.GetTotalCount();
    bytes = net.GetTotalBytes();
    perServer = Array.from({ length: PEERS }, (_, i) => net.GetCount(i));
  });
  const trace = w.trace.kept().map((e) => `${e.t} ${e.peer} ${e.topic} ${e.msg}`);
  return { outcome, rpcs, bytes, perServer, trace, okCalls };
}

describe("determinism", () => {
  it("the same seed gives the same run: trace hash, events, time and totals", async () => {
    const a = await workload("det-1");
    const b = await workload("det-1");
    expect(a.outcome.failure?.message).toBeUndefined();
    expect(a.outcome.ok).toBe(true);
    // The workload is not trivial: many calls, some of each kind of outcome.
    expect(a.rpcs).toBeGreaterThan(PEERS * ROUNDS - 1);
    expect(a.okCalls).toBeGreaterThan(0);
    expect(a.okCalls).toBeLessThan(a.rpcs);
    expect(a.trace.some((l) => l.includes("request lost"))).toBe(true);
    expect(a.trace.some((l) => l.includes("reply lost"))).toBe(true);
    expect(a.trace.some((l) => l.includes("unreachable"))).toBe(true);
    expect(a.trace.some((l) => l.includes("server died"))).toBe(true);

    expect(b.outcome).toEqual(a.outcome);
    expect(b.outcome.traceHash).toBe(a.outcome.traceHash);
    expect(b.outcome.events).toBe(a.outcome.events);
    expect(b.outcome.virtualMs).toBe(a.outcome.virtualMs);
    expect(b.rpcs).toBe(a.rpcs);
    expect(b.bytes).toBe(a.bytes);
    expect(b.perServer).toEqual(a.perServer);
    expect(b.trace).toEqual(a.trace);
  });

  it("another seed gives another run", async () => {
    const a = await workload("det-1");
    const c = await workload("det-2");
    expect(c.outcome.ok).toBe(true);
    expect(c.outcome.traceHash).not.toBe(a.outcome.traceHash);
    expect(c.trace).not.toEqual(a.trace);
  });

  it("a replay is unaffected by other runs in between", async () => {
    const first = await workload(7);
    await workload(8);
    await workload("something else");
    const again = await workload(7);
    expect(again.outcome).toEqual(first.outcome);
    expect(again.bytes).toBe(first.bytes);
    expect(again.trace).toEqual(first.trace);
    // A numeric seed and its decimal string are the same seed.
    expect((await workload("7")).outcome.traceHash).toBe(first.outcome.traceHash);
  });
});

describe("determinism of every MIT test in every scheduling mode", () => {
  it("each of the 28 tests gives the same trace hash twice for one seed, by default and in heavy mode", async () => {
    // With the reference every run passes; with a student's Raft in the handout, passing or
    // not, the same seed must still give the same run.
    const impl = await loadImpl();
    const differ: string[] = [];
    for (const def of allTests) {
      const hashes: string[] = [];
      for (const race of [false, true]) {
        const a = await runTest(def, { seed: 11, impl, race });
        const b = await runTest(def, { seed: 11, impl, race });
        expect(b.traceHash, `${def.name}${race ? " (heavy)" : ""}`).toBe(a.traceHash);
        expect(b.events).toBe(a.events);
        expect(b.figures).toEqual(a.figures);
        hashes.push(a.traceHash);
      }
      if (hashes[0] !== hashes[1]) differ.push(def.name);
    }
    // Heavy mode is a different schedule, not a relabelling of the default one.
    expect(differ.length).toBeGreaterThan(20);
  });
});
