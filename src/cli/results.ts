// The results folder of a run: results/<run-id>/ with summary.json, and for each failing
// (test, seed) its report and full trace; results/latest points at the newest run.
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
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
    this.dir = resolve(root, id);
    mkdirSync(join(this.dir, "failures"), { recursive: true });
    const latest = resolve(root, "latest");
    try {
      rmSync(latest, { force: true });
      symlinkSync(id, latest);
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
