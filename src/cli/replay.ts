// `raftlab replay TEST --seed S`: reruns one test exactly, in this thread, keeping the whole
// trace; prints it as per-peer columns (--log), writes the timeline (--html), or runs the
// seed twice and confirms the traces are identical (--check).
import { writeFileSync } from "node:fs";
import { loadImpl, passedLine } from "../config/index.ts";
import type { TraceEvent } from "../sim/index.ts";
import { checkPeers, parsePeers, parseTopics } from "./args.ts";
import { findTest, UsageError } from "./catalog.ts";
import { pc } from "./colour.ts";
import { runJob, type JobResult } from "./job.ts";
import { renderColumns } from "./logview.ts";
import { renderTimeline } from "./timeline.ts";

export interface ReplayOptions {
  seed: string;
  impl: string;
  log: boolean;
  topics?: string;
  peers?: string;
  html?: string;
  check: boolean;
  race: boolean;
}

export async function replayCommand(test: string, opts: ReplayOptions): Promise<number> {
  const def = findTest(test);
  if (!opts.log && (opts.topics !== undefined || opts.peers !== undefined)) {
    throw new UsageError(`${opts.topics !== undefined ? "--topics" : "--peers"} filters the columns of --log; add --log`);
  }
  const topics = opts.topics !== undefined ? parseTopics(opts.topics) : undefined;
  const peers = opts.peers !== undefined ? parsePeers(opts.peers) : undefined;
  const out = process.stdout;
  // An implementation that cannot load has no run to show: say why, and nothing else.
  try {
    await loadImpl(opts.impl);
  } catch (e) {
    out.write(`${def.name} seed ${opts.seed}: ${pc.red("FAILED")}: ${(e as Error).message}\n`);
    return 1;
  }
  const r = await runJob({ test: def.name, seed: opts.seed, impl: opts.impl, keepTrace: true, race: opts.race });
  const trace = r.trace ?? [];
  const n = peerCount(trace);
  if (peers !== undefined) checkPeers(peers, n, def.name);
  if (opts.log) {
    out.write(`${renderColumns(trace, n, { ...(topics ? { topics } : {}), ...(peers ? { peers } : {}) }).join("\n")}\n\n`);
  }
  for (const line of r.output) out.write(`${line}\n`);
  if (r.passed && r.figures) out.write(`${passedLine(r.figures, r.wallMs)}\n`);
  if (!r.passed && r.output.length === 0) out.write(`--- FAIL: ${r.error ?? r.reason ?? "failed"}\n`);
  out.write(`${def.name} seed ${r.seed}: ${r.passed ? pc.green("passed") : pc.red("FAILED")}; ${trace.length} events, trace hash ${r.traceHash}, ${(r.virtualMs / 1000).toFixed(1)} virtual s\n`);
  if (opts.html !== undefined) {
    const html = renderTimeline(trace, { test: def.name, seed: r.seed, peers: n, ...(r.reason !== undefined ? { failure: r.reason } : {}) });
    writeFileSync(opts.html, html);
    out.write(`timeline written to ${opts.html}\n`);
  }
  let status = r.passed ? 0 : 1;
  if (opts.check) {
    const again = await runJob({ test: def.name, seed: opts.seed, impl: opts.impl, keepTrace: true, race: opts.race });
    const d = firstDivergence(trace, again.trace ?? []);
    if (d === undefined && again.traceHash === r.traceHash) {
      out.write(`${pc.green("deterministic")}: two runs of seed ${r.seed} gave identical traces (${trace.length} events, hash ${r.traceHash})\n`);
    } else {
      out.write(`${pc.red("NOT deterministic")}: ${d ?? "the traces have the same events but different hashes"}\n` +
        "The implementation is using a clock, Math.random or other state the simulator does not control.\n");
      status = 3;
    }
  }
  return status;
}

function peerCount(trace: TraceEvent[]): number {
  let n = 0;
  for (const e of trace) if (e.peer + 1 > n) n = e.peer + 1;
  return n;
}

/** The first event where two traces differ, described in one sentence, or undefined. */
export function firstDivergence(a: TraceEvent[], b: TraceEvent[]): string | undefined {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.t !== y.t || x.peer !== y.peer || x.topic !== y.topic || x.msg !== y.msg) {
      return `the runs diverge at event ${i}: first run "${x.t} ms p${x.peer} ${x.topic} ${x.msg}", second run "${y.t} ms p${y.peer} ${y.topic} ${y.msg}"`;
    }
  }
  if (a.length !== b.length) return `the runs agree on ${n} events, then one has ${Math.abs(a.length - b.length)} more`;
  return undefined;
}

export type { JobResult };
