// raftlab benchmarks: how fast the simulator and the simulated network run.
//
//   npx tsx bench/run.ts          (make bench)
//   BENCH_SCALE=0.1 npx tsx bench/run.ts   (a quick smoke run with 10% of the work)
//   BENCH_REPEAT=5 npx tsx bench/run.ts    (repetitions per benchmark; the median is shown)
//
// Prints one table; asserts nothing. Wall-clock reads are allowed here (bench/), never in src/.
// Each benchmark runs BENCH_REPEAT times (default 3) and the repetition with the median wall
// time is reported. Next to wall time the table shows the process's CPU time (user + system,
// all threads, so GC helpers count too): on a shared machine wall time also contains time
// spent waiting for a CPU, CPU time does not.
//
//   1a scheduler, one chain       internal callbacks `w.at(1, f)`, each scheduling the next:
//                                 the driver's pop/run loop with a heap of one event
//   1b scheduler, 10k chains      the same with 10,000 chains at random delays: heap ops at
//                                 depth log2(10^4) ≈ 13
//   2a sleep wake-ups, 1 task     `await sleep(1)` in a loop: each wake-up is a waking event, so
//                                 the driver yields a macrotask (setImmediate) to drain microtasks
//   2b sleep wake-ups, 100 tasks  100 tasks sleeping 1 ms in step: 100 wake-ups per instant
//   3a labrpc back-to-back        reliable network, small args, 10 tasks each making sequential
//                                 awaited calls with no pause: pure call cost, zero virtual time
//   3b labrpc paced (1 ms)        the same tasks, each sleeping 1 ms after every call: a network
//                                 workload that moves the clock
//   4  virtual s / wall s         for 3b, and an estimate for a Raft-like load (see docs/BENCH.md)
import os from "node:os";
import { performance } from "node:perf_hooks";
import v8 from "node:v8";
import vm from "node:vm";
import { Network, Server, Service, type ClientEnd } from "../src/labrpc/index.ts";
import { World, sleep } from "../src/sim/index.ts";

const SCALE = Number(process.env.BENCH_SCALE ?? "1");
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? "3"));
const n = (x: number): number => Math.max(1, Math.round(x * SCALE));

// A real gc() between benchmarks, so each starts from a collected heap.
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

// ---------------------------------------------------------------------------------------------
// Measurement

let peakRss = 0;
let sampleTick = 0;
function sampleRss(): void {
  const rss = process.memoryUsage.rss();
  if (rss > peakRss) peakRss = rss;
}
/** Cheap enough for hot loops: samples every 65,536th call. */
function maybeSample(): void {
  if ((++sampleTick & 0xffff) === 0) sampleRss();
}

interface Result {
  id: string;
  name: string;
  unit: string;
  count: number;
  wallMs: number;
  cpuMs: number;
  virtualMs: number;
  events: number;
  peakRssMb: number;
}

async function measureOnce(id: string, name: string, unit: string, work: () => Promise<{ count: number; virtualMs: number; events: number }>): Promise<Result> {
  gc();
  peakRss = 0;
  sampleRss();
  // Macrotask-driven benchmarks are also sampled from a timer; synchronous stretches of the
  // driver are sampled from inside the work (maybeSample).
  const timer = setInterval(sampleRss, 5);
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const r = await work();
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(timer);
  sampleRss();
  return {
    id, name, unit, count: r.count, wallMs, cpuMs: (cpu.user + cpu.system) / 1000,
    virtualMs: r.virtualMs, events: r.events, peakRssMb: peakRss / 2 ** 20,
  };
}

/** Runs a benchmark REPEAT times; reports the median run by wall time, with the largest peak RSS. */
async function measure(id: string, name: string, unit: string, work: () => Promise<{ count: number; virtualMs: number; events: number }>): Promise<Result> {
  const runs: Result[] = [];
  for (let i = 0; i < REPEAT; i++) runs.push(await measureOnce(id, name, unit, work));
  runs.sort((a, b) => a.wallMs - b.wallMs);
  const med = runs[(runs.length - 1) >> 1]!;
  return { ...med, peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)) };
}

async function runWorld(seed: string, body: (w: World) => Promise<void>): Promise<{ virtualMs: number; events: number }> {
  const w = new World({ seed });
  const out = await w.run(() => body(w));
  if (!out.ok) throw new Error(`benchmark world failed: ${out.failure?.message}`);
  return { virtualMs: out.virtualMs, events: out.events };
}

// ---------------------------------------------------------------------------------------------
// Workloads

/** 1: `chains` chains of internal callbacks, `total` events in all. */
async function schedulerChains(total: number, chains: number) {
  const r = await runWorld("bench-sched", async (w) => {
    const rng = w.rng("bench");
    await new Promise<void>((resolve) => {
      // `total` reschedules in all; then each chain ends at its next event.
      let left = total;
      let live = chains;
      const delays = Array.from({ length: 1024 }, () => (chains === 1 ? 1 : 1 + rng.intn(20)));
      let d = 0;
      const f = (): void => {
        maybeSample();
        if (left > 0) {
          left--;
          w.at(delays[d++ & 1023]!, f);
        } else if (--live === 0) {
          w.wake();
          resolve();
        }
      };
      for (let c = 0; c < chains; c++) w.at(chains === 1 ? 1 : 1 + rng.intn(20), f);
    });
  });
  return { count: r.events, ...r };
}

/** 2: `tasks` async tasks, each `await sleep(1)` `each` times. */
async function sleepWakeups(tasks: number, each: number) {
  const r = await runWorld("bench-sleep", async () => {
    await Promise.all(Array.from({ length: tasks }, async () => {
      for (let i = 0; i < each; i++) {
        await sleep(1);
        maybeSample();
      }
    }));
  });
  return { count: tasks * each, ...r };
}

class Echo {
  AppendEntries(args: { Term: number; Index: number }, reply: Record<string, unknown>): void {
    reply.Term = args.Term;
    reply.Success = true;
  }
}

/** 3: `tasks` callers (one per end, to 5 servers), each making `each` sequential calls. */
async function rpcRoundTrips(tasks: number, each: number, pauseMs: number) {
  let ok = 0;
  const r = await runWorld("bench-rpc", async () => {
    const net = new Network();
    const SERVERS = 5;
    for (let s = 0; s < SERVERS; s++) {
      const server = new Server();
      server.AddService(new Service(new Echo(), "Raft"));
      net.AddServer(s, server);
    }
    const ends: ClientEnd[] = [];
    for (let t = 0; t < tasks; t++) {
      const name = `end-${t}`;
      const e = net.MakeEnd(name);
      e.owner = t % SERVERS;
      e.target = (t + 1) % SERVERS;
      net.Connect(name, e.target);
      net.Enable(name, true);
      ends.push(e);
    }
    await Promise.all(ends.map(async (end, t) => {
      for (let i = 0; i < each; i++) {
        const reply: Record<string, unknown> = {};
        if (await end.Call("Raft.AppendEntries", { Term: t, Index: i }, reply)) ok++;
        maybeSample();
        if (pauseMs > 0) await sleep(pauseMs);
      }
    }));
  });
  if (ok !== tasks * each) throw new Error(`only ${ok} of ${tasks * each} calls succeeded on a reliable network`);
  return { count: ok, ...r };
}

// ---------------------------------------------------------------------------------------------
// Table

function fmtInt(x: number): string {
  return Math.round(x).toLocaleString("en-US");
}
function fmtRate(x: number): string {
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)} M`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(1)} k`;
  return x.toFixed(1);
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]): string => r.map((cell, c) => (c === 1 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ");
  return [line(rows[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line)].join("\n");
}

async function main(): Promise<void> {
  const cpu = os.cpus()[0]?.model ?? "unknown cpu";
  console.log(`raftlab bench — node ${process.version}, ${os.availableParallelism()} cpus (${cpu}), ${os.platform()} ${os.arch()}, load ${os.loadavg()[0]!.toFixed(1)}, median of ${REPEAT}${SCALE !== 1 ? `, BENCH_SCALE=${SCALE}` : ""}`);

  // Warm-up: the same code paths at a small size, so the JIT has settled before measuring.
  await schedulerChains(200_000, 1);
  await schedulerChains(200_000, 1000);
  await sleepWakeups(10, 5_000);
  await rpcRoundTrips(10, 5_000, 0);
  await rpcRoundTrips(10, 2_000, 1);

  const results: Result[] = [];
  results.push(await measure("1a", "scheduler, one chain of w.at(1, f)", "events", () => schedulerChains(n(5_000_000), 1)));
  results.push(await measure("1b", "scheduler, 10,000 interleaved chains", "events", () => schedulerChains(n(2_000_000), 10_000)));
  results.push(await measure("2a", "sleep(1) wake-ups, 1 task", "wake-ups", () => sleepWakeups(1, n(300_000))));
  results.push(await measure("2b", "sleep(1) wake-ups, 100 tasks", "wake-ups", () => sleepWakeups(100, n(3_000))));
  results.push(await measure("3a", "labrpc calls, 10 tasks, back-to-back", "round trips", () => rpcRoundTrips(10, n(20_000), 0)));
  results.push(await measure("3b", "labrpc calls, 10 tasks, 1 ms apart", "round trips", () => rpcRoundTrips(10, n(15_000), 1)));

  const rows: string[][] = [["#", "benchmark", "count", "unit", "wall ms", "per wall s", "cpu ms", "per cpu s", "virtual s", "virtual s / wall s", "peak RSS MB"]];
  for (const r of results) {
    rows.push([
      r.id, r.name, fmtInt(r.count), r.unit, r.wallMs.toFixed(0), fmtRate((r.count / r.wallMs) * 1000),
      r.cpuMs.toFixed(0), fmtRate((r.count / r.cpuMs) * 1000),
      (r.virtualMs / 1000).toFixed(1),
      r.virtualMs > 0 ? ((r.virtualMs / 1000) / (r.wallMs / 1000)).toFixed(1) : "—",
      r.peakRssMb.toFixed(0),
    ]);
  }
  console.log();
  console.log(table(rows));

  const paced = results.find((r) => r.id === "3b")!;
  const perWall = (paced.count / paced.wallMs) * 1000;
  const perCpu = (paced.count / paced.cpuMs) * 1000;
  // A 5-peer Raft at MIT's heartbeat limit (10/s to each of 4 others) with a quiet log makes
  // about 5 × 4 × 10 = 200 RPCs per virtual second.
  console.log();
  console.log(`4  virtual s / wall s for 3b (10,000 calls per virtual s): ${(paced.virtualMs / paced.wallMs).toFixed(1)} (per cpu s: ${(paced.virtualMs / paced.cpuMs).toFixed(1)})`);
  console.log(`   network-bound estimate for a 5-peer Raft making 200 RPCs per virtual s: ≈ ${(perWall / 200).toFixed(0)} virtual s / wall s (≈ ${(perCpu / 200).toFixed(0)} per cpu s), before Raft's own compute`);
  console.log(`   process max RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

await main();
