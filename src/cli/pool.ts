// Runs jobs in worker threads (piscina), each under a wall-clock watchdog. A synchronous
// infinite loop in student code cannot be interrupted inside its thread; the watchdog
// aborts the job, piscina terminates that worker and starts a fresh one, and the job is
// reported as hung while the others go on.
import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import type { Job, JobResult } from "./job.ts";
import { loadFailure } from "./job.ts";

export const DEFAULT_WATCHDOG_MS = 120_000;

export interface PoolOptions {
  workers?: number;
  /** Wall-clock limit per job. */
  watchdogMs?: number;
}

export class JobPool {
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
      return (await this.piscina.run(job, { signal: ctl.signal })) as JobResult;
    } catch (e) {
      if (timedOut) {
        const s = Math.round(this.watchdogMs / 1000);
        return loadFailure(job, `did not finish within ${s} s of wall-clock time and was stopped (an infinite loop that never awaits, in the implementation?)`);
      }
      if (ctl.signal.aborted) return { ...loadFailure(job, "cancelled"), cancelled: true } as JobResult;
      return loadFailure(job, `the worker thread crashed: ${(e as Error).message}`);
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
