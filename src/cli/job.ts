// One job = one test with one seed against one implementation. Runs in a worker thread
// (run, grade) or in the main thread (replay). Everything it returns is plain data.
import { performance } from "node:perf_hooks";
import { loadImpl, replayCommand, runTest, type TestResult } from "../config/index.ts";
import type { RaftModule } from "../raft/api.ts";
import type { CompiledSubmission } from "../sandbox/index.ts";
import type { TraceEvent } from "../sim/index.ts";
import { findTest } from "./catalog.ts";

export interface Job {
  test: string;
  seed: string;
  /** Module path of the implementation ("" for the reference). */
  impl: string;
  /** Keep and return the whole trace (replay; failures in run). */
  keepTrace?: boolean;
  /** Heavy (race) mode: go() tasks also start a seeded random 0–5 ms late. */
  race?: boolean;
  /** The module actually loaded, when it differs from `impl` (a contained worker's compiled copy). */
  loadPath?: string;
  /** The submission compiled for the sandbox by the parent (a contained worker cannot compile). */
  compiled?: CompiledSubmission;
}

export interface JobResult extends Omit<TestResult, "trace"> {
  wallMs: number;
  /** How a run that did not pass ended, when it was not the tester's verdict: stopped as hung, or its worker died. */
  outcome?: "hung" | "crashed";
  /** The last trace events before the end, as text, for failure reports. */
  tail?: string[];
  trace?: TraceEvent[];
}

const impls = new Map<string, Promise<RaftModule>>();

export function formatEvent(e: TraceEvent): string {
  return `${e.t.toString().padStart(7)} ms  ${e.peer < 0 ? "  " : `p${e.peer}`}  ${e.topic.padEnd(9)} ${e.msg}`;
}

export async function runJob(job: Job): Promise<JobResult> {
  const def = findTest(job.test);
  const path = job.loadPath ?? job.impl;
  let implP = impls.get(path);
  if (implP === undefined) {
    implP = loadImpl(path, job.compiled !== undefined ? { compiled: job.compiled } : {});
    impls.set(path, implP);
  }
  const start = performance.now();
  let impl: RaftModule;
  try {
    impl = await implP;
  } catch (e) {
    return loadFailure(job, (e as Error).message);
  }
  const r = await runTest(def, { seed: job.seed, impl, implPath: job.impl, keepTrace: job.keepTrace ?? false, race: job.race ?? false });
  const wallMs = performance.now() - start;
  const { trace, ...rest } = r;
  const result: JobResult = { ...rest, wallMs };
  if (!r.passed && trace !== undefined) result.tail = trace.slice(-40).map(formatEvent);
  if (job.keepTrace === true && trace !== undefined) result.trace = trace;
  return result;
}

/** A run that produced no result of its own (could not load, hung, crashed the worker). */
export function loadFailure(job: Job, message: string): JobResult {
  const error = `${job.test} failed: ${message}\n  seed ${job.seed}; replay: ${replayCommand(job.test, job.seed, job.impl, job.race)}`;
  return {
    name: job.test, part: "", seed: job.seed, passed: false, reason: message, error,
    virtualMs: 0, events: 0, traceHash: "", traceLength: 0, output: [], warnings: [], wallMs: 0,
  };
}
