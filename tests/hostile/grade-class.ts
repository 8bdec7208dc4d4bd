// Not an attack: the helper that hands the hostile submissions in as a class. Each attack
// becomes a student's repository outside the checkout (its file as src/raft/index.ts, with
// grade-dead.ts beside it; the reference's files too for the attacks built on it), with the
// imports as they read in a student's repository, and the class is graded in one command.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ClassRow } from "../../src/cli/class.ts";
import type { GradeReport } from "../../src/cli/report.ts";
import { spawnSync } from "node:child_process";
import { ROOT } from "../support/cli.ts";

const asStudentWrote = (s: string): string => s.replaceAll('"../../src/raft/', '"./').replaceAll('"../../src/', '"../');

export interface HostileClass {
  status: number;
  stdout: string;
  stderr: string;
  table: ClassRow[];
  csv: string;
  reports: Record<string, GradeReport>;
}

/**
 * Grades the attacks as a class. `confine: false` sets RAFTLAB_CONFINE=0, so that the process
 * containment is proved on its own, without the in-process confinement in front of it.
 */
export function gradeHostileClass(attacks: string[], flags: string[], confine = true): HostileClass {
  const dir = mkdtempSync(join(tmpdir(), "raftlab-hostile-"));
  const cls = join(dir, "class");
  for (const a of attacks) {
    const raft = join(cls, a, "src", "raft");
    mkdirSync(raft, { recursive: true });
    const source = readFileSync(join(ROOT, "tests/hostile", `grade-${a}.ts`), "utf8");
    if (source.includes('"../../src/raft/raft.ts"')) {
      for (const f of readdirSync(join(ROOT, "src/raft"))) if (f !== "index.ts") cpSync(join(ROOT, "src/raft", f), join(raft, f));
    }
    writeFileSync(join(raft, "index.ts"), asStudentWrote(source));
    writeFileSync(join(raft, "grade-dead.ts"), asStudentWrote(readFileSync(join(ROOT, "tests/hostile/grade-dead.ts"), "utf8")));
  }
  const json = join(dir, "class.json");
  const csv = join(dir, "class.csv");
  const reports = join(dir, "reports");
  const env = { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", RAFTLAB_CONFINE: confine ? "1" : "0" };
  const p = spawnSync(process.execPath, [join(ROOT, "bin/raftlab.mjs"), "grade", "--class", cls, ...flags, "--json", json, "--csv", csv, "--reports", reports], {
    cwd: ROOT, encoding: "utf8", env, timeout: 600_000,
  });
  const r = { status: p.status ?? -1, stdout: p.stdout, stderr: p.stderr };
  const table = (JSON.parse(readFileSync(json, "utf8")) as { students: ClassRow[] }).students;
  const byName: Record<string, GradeReport> = {};
  for (const a of attacks) byName[a] = JSON.parse(readFileSync(join(reports, `${a}.json`), "utf8")) as GradeReport;
  return { ...r, table, csv, reports: byName };
}
