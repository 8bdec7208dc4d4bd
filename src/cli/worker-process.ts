// Entry of a contained worker process (see pool.ts): compiled into the build tree and started
// under Node's permission model. It runs one job at a time on messages from the parent and
// publishes its virtual clock every BEAT_MS of wall time, so that the parent can tell a run
// that is computing from one stuck in a loop that never awaits (which stops the beats, or
// keeps the clock still).
//
// The channel to the parent is captured here, before any implementation is loaded. An
// implementation that is not confined in-process could still reach `process` and send a
// forged result; the parent accepts a result only with the job's nonce, for the job in
// flight, and counts it as passed only with the tester's Passed-line figures. Keeping
// `process` out of an implementation's reach is the in-process confinement's part.
import { performance } from "node:perf_hooks";
import { maybeWorld, World } from "../sim/index.ts";
import { loadImpl } from "../config/index.ts";
import { runJob, type Job } from "./job.ts";

/** How often the worker reports its virtual clock (wall ms). */
export const BEAT_MS = 100;

export type ToWorker = { type: "job"; job: Job; nonce: string } | { type: "load"; path: string; nonce: string };
export type FromWorker =
  | { type: "ready" }
  | { type: "loaded"; nonce: string; error?: string }
  | { type: "beat"; virtualMs: number; rss: number }
  | { type: "result"; nonce: string; result: Awaited<ReturnType<typeof runJob>> }
  | { type: "error"; nonce: string; message: string };

const channel = process.send?.bind(process);
if (channel === undefined) throw new Error("raftlab: worker-process runs only as a child of the grader (no IPC channel)");
const send = (m: FromWorker): void => {
  channel(m);
};

let sentVirtual = -1;
let sentWall = 0;
const beatNow = (virtualMs: number): void => {
  sentVirtual = virtualMs;
  sentWall = performance.now();
  send({ type: "beat", virtualMs, rss: process.memoryUsage.rss() });
};

// A timer beat while the event loop turns (loading, idle, a run between yields)…
const beat = setInterval(() => {
  const w = maybeWorld();
  beatNow(w === null ? -1 : w.now);
}, BEAT_MS);
beat.unref();

// …and, during a run, a beat from inside the simulation whenever its clock has moved, at most
// one per CLOCK_BEAT_MS of wall time: the last one the parent heard is where a run stuck.
const CLOCK_BEAT_MS = 1;
// Every world this worker runs gets the hook as it starts (before Make is called), by way of
// World.prototype.run, wrapped here before any implementation is loaded.
const run = World.prototype.run;
World.prototype.run = function (this: World, body) {
  this.afterStep(() => {
    if (this.now !== sentVirtual && performance.now() - sentWall >= CLOCK_BEAT_MS) beatNow(this.now);
  });
  return run.call(this, body);
};

process.on("message", (m: ToWorker) => {
  if (m?.type === "load") {
    loadImpl(m.path).then(
      () => send({ type: "loaded", nonce: m.nonce }),
      (e: unknown) => send({ type: "loaded", nonce: m.nonce, error: e instanceof Error ? e.message : String(e) }),
    );
    return;
  }
  if (m?.type !== "job") return;
  runJob(m.job).then(
    (result) => send({ type: "result", nonce: m.nonce, result }),
    (e: unknown) => send({ type: "error", nonce: m.nonce, message: e instanceof Error ? e.message : String(e) }),
  );
});
// The parent went away: nothing left to report to.
process.on("disconnect", () => process.exit(0));
send({ type: "ready" });
