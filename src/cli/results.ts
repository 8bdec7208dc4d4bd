// The results folder of a run: results/<run-id>/ with summary.json, and for each failing
// (test, seed) its report and full trace; results/latest points at the newest run.
//
// What is kept (pruneResults, after each run): every run with a failure or that was
// interrupted, and the newest run. A run in which everything passed has nothing to look at
// once a newer run exists, so it is removed then. Folders that are not a finished run
// (no summary.json: still running, or not ours) are never touched.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { TraceEvent } from "../sim/index.ts";
import type { JobResult } from "./job.ts";
import { formatEvent } from "./job.ts";

export function runId(date: Date): string {
  const p = (n: number): string => String(n).padStart(2, "0");
  return `run-${date.getFullYear()}${p(date.getMonth() + 1)}${p(date.getDate())}-${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}`;
}

export class ResultsDir {
  readonly dir: string;

  constructor(root: string, id: string) {
    // Two runs started in the same second get their own folders.
    let name = id;
    for (let k = 2; existsSync(resolve(root, name)); k++) name = `${id}-${k}`;
    this.dir = resolve(root, name);
    mkdirSync(join(this.dir, "failures"), { recursive: true });
    const latest = resolve(root, "latest");
    try {
      rmSync(latest, { force: true });
      symlinkSync(name, latest);
    } catch {
      // A filesystem without symlinks still gets the run folder itself.
    }
  }

  writeFailure(r: JobResult, trace: TraceEvent[] | undefined, note: string): string {
    const base = join(this.dir, "failures", `${r.name}-seed${r.seed}`);
    const text = [
      r.error ?? r.reason ?? "failed",
      note,
      "",
      "output:",
      ...r.output.map((l) => `  ${l}`),
      "",
      "last events:",
      ...(trace ?? []).slice(-60).map(formatEvent),
    ].join("\n");
    writeFileSync(`${base}.txt`, `${text}\n`);
    if (trace !== undefined) writeFileSync(`${base}.trace.jsonl`, trace.map((e) => JSON.stringify(e)).join("\n") + "\n");
    return `${base}.txt`;
  }

  writeSummary(summary: unknown): void {
    writeFileSync(join(this.dir, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
  }
}

/** Whether a finished run's folder holds anything to look at; undefined if it is not a finished run. */
function worthKeeping(dir: string): boolean | undefined {
  try {
    const s = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as { interrupted?: boolean; tests?: Array<{ failed?: number }> };
    if (!Array.isArray(s.tests)) return undefined;
    return s.interrupted === true || s.tests.some((t) => (t.failed ?? 0) > 0);
  } catch {
    return undefined;
  }
}

/** Removes the earlier runs under `root` in which everything passed; returns their names. */
export function pruneResults(root: string, newest: string): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(resolve(root))) {
    const dir = resolve(root, name);
    if (!name.startsWith("run-") || dir === resolve(newest)) continue;
    if (worthKeeping(dir) === false) {
      rmSync(dir, { recursive: true, force: true });
      removed.push(name);
    }
  }
  return removed;
}
