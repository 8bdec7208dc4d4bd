// Contained workers: each job runs in a child process, not a thread, so that nothing an
// implementation does reaches the grader.
//
// - The child runs under Node 20's permission model: it may read the build tree and the
//   course's node_modules and nothing else; no file writes, no child processes, no worker
//   threads, no addons, no WASI, no inspector (Node 20 has no network permission: see
//   docs/GRADING.md). Its environment is empty (no instructor's tokens to read).
// - Its heap is capped (--max-old-space-size) and its resident memory is polled from here
//   (/proc/<pid>/status, or the worker's own beats elsewhere); over the cap it is killed.
// - It publishes its virtual clock every BEAT_MS; a run whose clock has not moved for the
//   stall limit (`--watchdog`) is stopped and reported as hung, with the virtual time where
//   it stuck. A run that moves but takes more than RUN_WALL_LIMIT_MS is stopped too.
// - A worker that dies (out of memory, a signal, process.exit) is one failed run with a
//   sentence that says why; the next job gets a fresh worker.
// - Only the parent writes anything, after the workers have ended; a run counts as passed
//   only if the result is the one asked for and carries the tester's Passed-line figures.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { compileSubmission } from "../sandbox/index.ts";
import type { Build } from "./build.ts";
import type { Job, JobResult } from "./job.ts";
import { loadFailure } from "./job.ts";
import { buildTree } from "./build.ts";
import { JobPool, trustedResult, type Pool } from "./pool.ts";
import { COURSE_ROOT, resolveSubmission, type Submission } from "./submission.ts";
import type { FromWorker, ToWorker, WorkerLoad } from "./worker-process.ts";

/** Heap cap of a contained worker (MB): the reference needs well under 100. */
export const HEAP_CAP_MB = 512;
/** Resident-memory cap (MB): heap, Buffers and everything else off the heap. */
export const RSS_CAP_MB = 1024;
/**
 * Default stall limit: a run whose virtual clock stands still this long (wall ms) is hung.
 * The reference's longest whole test takes under 0.5 s of wall time on this project's 2-core
 * machine (docs/GRADING.md), and between two moves of its clock far less: 3 s is six times
 * its slowest test, so a loaded CI machine does not trip it, and a spinning submission costs
 * 3 s per run instead of 120.
 */
export const DEFAULT_STALL_MS = 3_000;
/** A run that keeps moving but takes this long (wall) is stopped as too slow. */
export const RUN_WALL_LIMIT_MS = 120_000;
/** A fresh worker must be ready (harness loaded) within this. */
const START_LIMIT_MS = 30_000;
const POLL_MS = 50;
/** The nonce of the load message every worker gets first; its answer is not awaited. */
const PRELOAD = "preload";

export interface ContainOptions {
  build: Build;
  /** What each worker loads (default: the build tree's module, imported as it is). */
  load?: WorkerLoad;
  workers: number;
  stallMs?: number;
  heapMb?: number;
  rssMb?: number;
  /** The implementation's own output (console.log): dropped when grading, shown by `run`. */
  stdout?: "ignore" | "inherit";
  /** Rewrites build-tree paths in messages back to the student's paths. */
  mapMessage?: (s: string) => string;
}

interface InFlight {
  job: Job;
  nonce: string;
  started: number;
  lastVirtual: number;
  lastMove: number;
  resolve: (r: JobResult) => void;
}

class Worker {
  readonly child: ChildProcess;
  readonly ready: Promise<boolean>;
  current: InFlight | undefined;
  /** The load message went out (every worker gets it before its first job). */
  loadSent = false;
  stderr = "";
  dead = false;
  /** Why the parent killed it, when it did. */
  killReason: string | undefined;
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  constructor(opts: Required<Omit<ContainOptions, "mapMessage" | "load">>, onExit: (w: Worker) => void, onMessage: (w: Worker, m: FromWorker) => void) {
    const b = opts.build;
    this.child = spawn(process.execPath, [
      "--experimental-permission",
      // One flag per path: Node 20.20 no longer takes a comma-separated list.
      ...b.readable.map((p) => `--allow-fs-read=${p}`),
      `--max-old-space-size=${opts.heapMb}`,
      "--disable-warning=ExperimentalWarning",
      b.worker,
    ], { cwd: b.dir, env: workerEnv(), stdio: ["ignore", opts.stdout, "pipe", "ipc"], serialization: "advanced" });
    this.child.stderr!.setEncoding("utf8");
    this.child.stderr!.on("data", (s: string) => {
      this.stderr = (this.stderr + s).slice(-8192);
    });
    let readyResolve: (ok: boolean) => void = () => {};
    this.ready = new Promise((r) => (readyResolve = r));
    this.child.on("message", (m: FromWorker) => {
      if (m?.type === "ready") readyResolve(true);
      else onMessage(this, m);
    });
    this.child.on("error", () => {});
    this.child.on("exit", (code, signal) => {
      this.dead = true;
      this.exit = { code, signal };
      readyResolve(false);
      onExit(this);
    });
  }

  kill(reason: string): void {
    if (this.dead || this.killReason !== undefined) return;
    this.killReason = reason;
    this.child.kill("SIGKILL");
  }
}

/** A worker's environment: empty but for the switch of in-process confinement (src/config/impl.ts). */
function workerEnv(): NodeJS.ProcessEnv {
  const v = process.env.RAFTLAB_CONFINE;
  return v === undefined ? {} : { RAFTLAB_CONFINE: v };
}

/** Resident memory of a process in MB, from /proc (Linux); undefined elsewhere. */
function rssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m === null ? undefined : Number(m[1]) / 1024;
  } catch {
    return undefined;
  }
}

export class ContainedPool implements Pool {
  readonly workers: number;
  private readonly opts: Required<Omit<ContainOptions, "mapMessage" | "load">>;
  private readonly load: WorkerLoad;
  private readonly mapMessage: (s: string) => string;
  private readonly idle: Worker[] = [];
  private readonly all = new Set<Worker>();
  private readonly waiting: Array<(w: Worker) => void> = [];
  private readonly poll: NodeJS.Timeout;
  private closed = false;
  /** The highest resident memory seen in any worker (MB). */
  peakRssMb = 0;
  /** Results that did not belong to the job in flight (forged or stale), ignored. */
  ignoredMessages = 0;

  constructor(options: ContainOptions) {
    this.workers = Math.max(1, options.workers);
    this.opts = {
      build: options.build, workers: this.workers,
      stallMs: options.stallMs ?? DEFAULT_STALL_MS, heapMb: options.heapMb ?? HEAP_CAP_MB,
      rssMb: options.rssMb ?? RSS_CAP_MB, stdout: options.stdout ?? "ignore",
    };
    this.mapMessage = options.mapMessage ?? ((s) => s);
    this.load = options.load ?? { path: options.build.impl };
    this.poll = setInterval(() => this.watch(), POLL_MS);
    this.poll.unref();
  }

  private spawnWorker(): Worker {
    const w = new Worker(this.opts, (x) => this.onExit(x), (x, m) => this.onMessage(x, m));
    this.all.add(w);
    return w;
  }

  private async acquire(): Promise<Worker> {
    const w = this.idle.pop();
    if (w !== undefined) return w;
    if (this.all.size < this.workers) return this.spawnWorker();
    return new Promise((r) => this.waiting.push(r));
  }

  private release(w: Worker): void {
    if (this.closed) return;
    if (w.dead) {
      this.all.delete(w);
      const next = this.waiting.shift();
      if (next !== undefined) next(this.spawnWorker());
      return;
    }
    const next = this.waiting.shift();
    if (next !== undefined) next(w);
    else this.idle.push(w);
  }

  /**
   * Loads the implementation in a worker and says why it cannot be loaded (undefined: it
   * loads). A submission that does not load is said to be so once, not once per run.
   */
  async probe(): Promise<string | undefined> {
    const probe: Job = { test: "(loading)", seed: "0", impl: "" };
    const r = await this.exchange(probe, (nonce) => ({ type: "load", load: this.load, nonce }));
    return r.passed ? undefined : r.reason;
  }

  run(job: Job): Promise<JobResult> {
    return this.exchange(job, (nonce) => ({ type: "job", job, nonce }));
  }

  private async exchange(job: Job, message: (nonce: string) => ToWorker): Promise<JobResult> {
    if (this.closed) return { ...loadFailure(job, "cancelled"), cancelled: true } as JobResult;
    const w = await this.acquire();
    const startTimer = setTimeout(() => w.kill("start"), START_LIMIT_MS);
    const ok = await w.ready;
    clearTimeout(startTimer);
    if (!ok) {
      const r = this.failure(job, w, -1);
      this.release(w);
      return r;
    }
    if (!w.loadSent) {
      w.loadSent = true;
      w.child.send({ type: "load", load: this.load, nonce: PRELOAD } satisfies ToWorker);
    }
    const nonce = randomBytes(16).toString("hex");
    const now = Date.now();
    const r = await new Promise<JobResult>((resolve) => {
      w.current = { job, nonce, started: now, lastVirtual: -2, lastMove: now, resolve };
      w.child.send(message(nonce));
    });
    w.current = undefined;
    this.release(w);
    return r;
  }

  private onMessage(w: Worker, m: FromWorker): void {
    const c = w.current;
    if (m.type === "beat") {
      if (m.rss > 0 && !Number.isNaN(m.rss)) this.peakRssMb = Math.max(this.peakRssMb, m.rss / 1024 / 1024);
      if (c !== undefined && m.virtualMs !== c.lastVirtual) {
        c.lastVirtual = m.virtualMs;
        c.lastMove = Date.now();
      }
      return;
    }
    if (m.type === "loaded" && m.nonce === PRELOAD) return;
    if (m.type === "ready" || c === undefined || m.nonce !== c.nonce) {
      this.ignoredMessages++;
      return;
    }
    w.current = undefined;
    if (m.type === "loaded") c.resolve(m.error === undefined ? { ...loadFailure(c.job, ""), passed: true } : loadFailure(c.job, this.mapMessage(m.error)));
    else if (m.type === "error") c.resolve(loadFailure(c.job, this.mapMessage(`the worker could not run the test: ${m.message}`)));
    else c.resolve(this.mapResult(trustedResult(c.job, m.result)));
  }

  private mapResult(r: JobResult): JobResult {
    const out = { ...r };
    if (out.reason !== undefined) out.reason = this.mapMessage(out.reason);
    if (out.error !== undefined) out.error = this.mapMessage(out.error);
    return out;
  }

  private lastWatch = Date.now();

  /** Memory, stalls and slow runs, every POLL_MS. */
  private watch(): void {
    const now = Date.now();
    // This process was busy (a type check, a long synchronous report) and could not read the
    // workers' beats: that time is not theirs. Their clocks are judged from what it can see.
    const lag = now - this.lastWatch - POLL_MS;
    this.lastWatch = now;
    if (lag > POLL_MS) {
      for (const w of this.all) {
        if (w.current === undefined) continue;
        w.current.lastMove += lag;
        w.current.started += lag;
      }
      return;
    }
    for (const w of this.all) {
      if (w.dead) continue;
      const rss = rssMb(w.child.pid);
      if (rss !== undefined) {
        this.peakRssMb = Math.max(this.peakRssMb, rss);
        if (rss > this.opts.rssMb) w.kill(`memory:${Math.round(rss)}`);
      }
      const c = w.current;
      if (c === undefined) continue;
      if (now - c.lastMove > this.opts.stallMs) w.kill("stall");
      else if (now - c.started > RUN_WALL_LIMIT_MS) w.kill("slow");
    }
  }

  private onExit(w: Worker): void {
    const c = w.current;
    if (c === undefined) return;
    w.current = undefined;
    c.resolve(this.failure(c.job, w, c.lastVirtual));
  }

  /** One sentence for a worker that ended without a result. */
  private failure(job: Job, w: Worker, virtualMs: number): JobResult {
    const at = virtualMs >= 0 ? ` at ${virtualMs} ms of virtual time` : " before the run's first event (in Make, or while loading)";
    const stallS = this.opts.stallMs / 1000;
    const k = w.killReason ?? "";
    let reason: string;
    let outcome: JobResult["outcome"] = "crashed";
    if (k === "stall") {
      outcome = "hung";
      reason = virtualMs >= 0
        ? `hung: its virtual clock stopped moving (last reported at ${virtualMs} ms) and stood still for ${stallS} s of wall time, so the run was stopped (a loop that never awaits, in the implementation?)`
        : `hung before its first event: nothing moved for ${stallS} s of wall time, so the run was stopped (a loop that never awaits, in Make, in a method the tester called first, or at the top level of the implementation?)`;
    } else if (k === "slow") {
      outcome = "hung";
      reason = `took more than ${RUN_WALL_LIMIT_MS / 1000} s of wall time (virtual clock at ${virtualMs} ms) and was stopped`;
    } else if (k === "start") {
      reason = `the worker process did not start within ${START_LIMIT_MS / 1000} s`;
    } else if (k.startsWith("memory:")) {
      reason = `used ${k.slice(7)} MB of memory${at}, over the ${this.opts.rssMb} MB cap, and was stopped`;
    } else if (/heap out of memory|Reached heap limit|Allocation failed/.test(w.stderr)) {
      reason = `ran out of memory${at}: its JavaScript heap passed the ${this.opts.heapMb} MB cap`;
    } else if (w.exit?.signal) {
      reason = `the worker process was killed by ${w.exit.signal}${at}, before the test ended (the implementation signalled its own process?)`;
    } else if (w.exit !== undefined) {
      const detail = w.stderr.trim().split("\n").find((l) => /Error|denied/i.test(l));
      reason = `the worker process exited with code ${w.exit.code}${at}, before the test ended (process.exit in the implementation?)${detail ? `: ${detail.trim().slice(0, 200)}` : ""}`;
    } else {
      reason = "the worker process ended without a result";
    }
    return { ...loadFailure(job, this.mapMessage(reason)), outcome };
  }

  cancelAll(): void {
    this.closed = true;
    for (const w of this.all) {
      const c = w.current;
      w.current = undefined;
      w.kill("cancel");
      c?.resolve({ ...loadFailure(c.job, "cancelled"), cancelled: true } as JobResult);
    }
    for (const wake of this.waiting.splice(0)) wake(this.spawnWorkerClosed());
  }

  /** A stand-in for waiters when the pool is closing: its ready resolves false at once. */
  private spawnWorkerClosed(): Worker {
    const w = this.spawnWorker();
    w.kill("cancel");
    return w;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.poll);
    await Promise.all([...this.all].map((w) => new Promise<void>((r) => {
      if (w.dead) return r();
      w.child.once("exit", () => r());
      w.kill("close");
    })));
    this.all.clear();
  }
}

/**
 * What the workers load. Confined (the default, as src/config/impl.ts decides for a module
 * given by path; RAFTLAB_CONFINE=0 turns it off): the parent compiles the submission for the
 * sandbox, since a contained worker cannot (esbuild needs a child process), and each worker
 * instantiates that. Not confined: the build tree's compiled module, imported as it is.
 * Throws SubmissionError when the submission does not compile.
 */
export async function workerLoad(sub: Submission, build: Build): Promise<WorkerLoad> {
  if (process.env.RAFTLAB_CONFINE === "0") return { path: build.impl };
  const entry = sub.layout === "checkout" ? join(COURSE_ROOT, sub.entry) : join(sub.dir!, sub.entry);
  return { path: entry, compiled: await compileSubmission(entry) };
}

/**
 * The pool for `run`: threads for the reference (trusted, and fastest), contained processes
 * for any --impl. `watchdogMs` is the thread pool's wall limit per run; for contained workers
 * the default becomes the stall limit (DEFAULT_STALL_MS) and a value given is taken as it.
 */
export async function poolForImpl(impl: string, opts: { workers?: number; watchdogMs: number; defaultWatchdogMs: number }): Promise<{ pool: Pool; done: () => void }> {
  if (impl === "") {
    const pool = new JobPool({ ...(opts.workers !== undefined ? { workers: opts.workers } : {}), watchdogMs: opts.watchdogMs });
    return { pool, done: () => {} };
  }
  const sub = resolveSubmission(impl, "--impl");
  const build = await buildTree(sub);
  const pool = new ContainedPool({
    build, load: await workerLoad(sub, build), workers: opts.workers ?? availableParallelism(), stdout: "inherit", mapMessage: build.mapMessage,
    stallMs: opts.watchdogMs === opts.defaultWatchdogMs ? DEFAULT_STALL_MS : opts.watchdogMs,
  });
  return { pool, done: build.remove };
}
