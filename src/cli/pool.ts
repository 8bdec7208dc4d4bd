// Runs jobs in worker threads (piscina), each under a wall-clock watchdog. A synchronous
// infinite loop in student code cannot be interrupted inside its thread; the watchdog
// aborts the job, piscina terminates that worker and starts a fresh one, and the job is
// reported as hung while the others go on.
//
// Threads are for code the user trusts (the reference, the student's own `make partX`):
// they start in milliseconds. Grading, and `run --impl`, use ContainedPool (contained.ts):
// child processes under the permission model, with memory caps and a virtual-clock watchdog.
import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import type { Job, JobResult } from "./job.ts";
import { loadFailure } from "./job.ts";

export const DEFAULT_WATCHDOG_MS = 120_000;

/** What run, grade and the vitest suites need of a pool: threads (JobPool) or processes (ContainedPool). */
export interface Pool {
  readonly workers: number;
  run(job: Job): Promise<JobResult>;
  cancelAll(): void;
  close(): Promise<void>;
}

/**
 * A run passed only if its result is for the job asked for and the tester reached its end and
 * recorded the Passed-line figures: a bare "passed" flag, from a worker the implementation
 * shares, is not taken on trust.
 */
export function trustedResult(job: Job, r: JobResult): JobResult {
  const figures = r.figures;
  const complete = figures !== undefined && [figures.seconds, figures.peers, figures.rpcs, figures.bytes, figures.cmds].every((x) => typeof x === "number" && Number.isFinite(x) && x >= 0);
  if (r.name !== job.test || r.seed !== job.seed) {
    return loadFailure(job, `the worker answered for ${String(r.name)} seed ${String(r.seed)}, not for this run; the answer was ignored`);
  }
  if (r.passed === true && !complete) {
    return { ...r, passed: false, reason: "the run claimed success without the tester's Passed-line figures (the tester never reached its end)" };
  }
  return r;
}

export interface PoolOptions {
  workers?: number;
  /** Wall-clock limit per job. */
  watchdogMs?: number;
}

export class JobPool implements Pool {
  private readonly piscina: Piscina;
  private readonly watchdogMs: number;
  private readonly controllers = new Set<AbortController>();
  readonly workers: number;

  constructor(options: PoolOptions = {}) {
    this.workers = Math.max(1, options.workers ?? availableParallelism());
    this.watchdogMs = options.watchdogMs ?? DEFAULT_WATCHDOG_MS;
    this.piscina = new Piscina({
      filename: new URL("./worker.mjs", import.meta.url).href,
      minThreads: this.workers,
      maxThreads: this.workers,
      idleTimeout: 60_000,
      // One job per worker at a time: a job is CPU-bound and owns its thread's simulation.
      concurrentTasksPerWorker: 1,
    });
  }

  async run(job: Job): Promise<JobResult> {
    const ctl = new AbortController();
    this.controllers.add(ctl);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ctl.abort();
    }, this.watchdogMs);
    try {
      return trustedResult(job, (await this.piscina.run(job, { signal: ctl.signal })) as JobResult);
    } catch (e) {
      if (timedOut) {
        const s = Math.round(this.watchdogMs / 1000);
        return { ...loadFailure(job, `did not finish within ${s} s of wall-clock time and was stopped (an infinite loop that never awaits, in the implementation?)`), outcome: "hung" };
      }
      if (ctl.signal.aborted) return { ...loadFailure(job, "cancelled"), cancelled: true } as JobResult;
      return { ...loadFailure(job, `the worker thread crashed: ${(e as Error).message}`), outcome: "crashed" };
    } finally {
      clearTimeout(timer);
      this.controllers.delete(ctl);
    }
  }

  /** Stops every job in flight (Ctrl-C). */
  cancelAll(): void {
    for (const c of this.controllers) c.abort();
  }

  async close(): Promise<void> {
    await this.piscina.close({ force: true });
  }
}
