// Entry of a contained worker process (see pool.ts): compiled into the build tree and started
// under Node's permission model. It runs one job at a time on messages from the parent and
// publishes its virtual clock every BEAT_MS of wall time, so that the parent can tell a run
// that is computing from one stuck in a loop that never awaits (which stops the beats, or
// keeps the clock still).
//
// The channel to the parent is captured here, before any implementation is loaded, and then
// locked away: process.send and process._send throw, and process.emit (through which Node
// delivers the parent's messages) is replaced, unwritable, by one that hands messages to this
// module only. So code that reaches `process` can neither read a job's nonce nor send a
// result; the parent accepts a result only with the nonce of the job in flight, and counts it
// as passed only with the tester's Passed-line figures. (What is left — digging the raw pipe
// handle out of Node's internals — is for the in-process confinement to keep out of reach.)
import { performance } from "node:perf_hooks";
import { maybeWorld, World } from "../sim/index.ts";
import { loadImpl } from "../config/index.ts";
import type { CompiledSubmission } from "../sandbox/index.ts";
import { runJob, type Job } from "./job.ts";

/** How often the worker reports its virtual clock (wall ms). */
export const BEAT_MS = 100;

export type ToWorker = { type: "job"; job: Job; nonce: string } | { type: "load"; load: WorkerLoad; nonce: string };

/** What a worker loads: a module of the build tree as it is, or a submission the parent compiled for the sandbox. */
export interface WorkerLoad {
  path: string;
  compiled?: CompiledSubmission;
}
export type FromWorker =
  | { type: "ready" }
  | { type: "loaded"; nonce: string; error?: string }
  | { type: "beat"; virtualMs: number; rss: number }
  | { type: "result"; nonce: string; result: Awaited<ReturnType<typeof runJob>> }
  | { type: "error"; nonce: string; message: string };

const originalSend = process.send;
const originalUnderscoreSend = (process as unknown as { _send?: unknown })._send;
if (originalSend === undefined || originalUnderscoreSend === undefined) throw new Error("raftlab: worker-process runs only as a child of the grader (no IPC channel)");
// send() calls this._send(): give it the original on a private stand-in for `process`.
const sender = Object.create(process, { _send: { value: originalUnderscoreSend } }) as NodeJS.Process;
const send = (m: FromWorker): void => {
  (originalSend as (m: unknown) => boolean).call(sender, m);
};
let onParentMessage: (m: ToWorker) => void = () => {};
// Node reads the channel only once someone listens for "message"; the messages themselves
// reach onParentMessage through the locked emit below, never through listeners.
process.on("message", () => {});
const originalEmit = process.emit;
const lock = (key: string, value: unknown): void => {
  Object.defineProperty(process, key, { value, writable: false, configurable: false });
};
lock("emit", function (this: NodeJS.Process, event: string | symbol, ...args: unknown[]): boolean {
  if (event === "message") {
    onParentMessage(args[0] as ToWorker);
    return true;
  }
  return (originalEmit as (e: string | symbol, ...a: unknown[]) => boolean).call(this, event, ...args);
});
const refuse = (): never => {
  throw new Error("raftlab: the channel to the grader is not for the implementation");
};
lock("send", refuse);
lock("_send", refuse);

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
// one per CLOCK_BEAT_MS of wall time unless the clock has moved CLOCK_BEAT_VIRTUAL_MS since the
// last: the last one the parent heard is where a run stuck, to within that much virtual time
// (at most a few thousand beats in a 120 s test).
const CLOCK_BEAT_MS = 1;
const CLOCK_BEAT_VIRTUAL_MS = 100;
// Every world this worker runs gets the hook as it starts (before Make is called), by way of
// World.prototype.run, wrapped here before any implementation is loaded.
const run = World.prototype.run;
World.prototype.run = function (this: World, body) {
  this.afterStep(() => {
    const t = this.now;
    if (t !== sentVirtual && (t - sentVirtual >= CLOCK_BEAT_VIRTUAL_MS || performance.now() - sentWall >= CLOCK_BEAT_MS)) beatNow(t);
  });
  return run.call(this, body);
};

// The implementation to load, as the first message said; every job loads the same.
let load: WorkerLoad | undefined;

onParentMessage = (m: ToWorker): void => {
  if (m?.type === "load") {
    load = m.load;
    loadImpl(load.path, load.compiled !== undefined ? { compiled: load.compiled } : {}).then(
      () => send({ type: "loaded", nonce: m.nonce }),
      (e: unknown) => send({ type: "loaded", nonce: m.nonce, error: e instanceof Error ? e.message : String(e) }),
    );
    return;
  }
  if (m?.type !== "job") return;
  const job: Job = load === undefined ? m.job : { ...m.job, loadPath: load.path, ...(load.compiled !== undefined ? { compiled: load.compiled } : {}) };
  runJob(job).then(
    (result) => send({ type: "result", nonce: m.nonce, result }),
    (e: unknown) => send({ type: "error", nonce: m.nonce, message: e instanceof Error ? e.message : String(e) }),
  );
};
// The parent went away: nothing left to report to.
process.on("disconnect", () => process.exit(0));
send({ type: "ready" });
