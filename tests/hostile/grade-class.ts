// Not an attack: the helper that hands the hostile submissions in as a class. Each attack
// becomes a student's repository outside the checkout (its file as src/raft/index.ts, with
// grade-dead.ts beside it; the reference's files too for the attacks built on it), with the
// imports as they read in a student's repository, and the class is graded in one command.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ClassRow } from "../../src/cli/class.ts";
import type { GradeReport } from "../../src/cli/report.ts";
import { raftlab, ROOT } from "../support/cli.ts";

const asStudentWrote = (s: string): string => s.replaceAll('"../../src/raft/', '"./').replaceAll('"../../src/', '"../');

export interface HostileClass {
  status: number;
  stdout: string;
  stderr: string;
  table: ClassRow[];
  csv: string;
  reports: Record<string, GradeReport>;
}

export function gradeHostileClass(attacks: string[], flags: string[]): HostileClass {
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
  const r = raftlab("grade", "--class", cls, ...flags, "--json", json, "--csv", csv, "--reports", reports);
  const table = (JSON.parse(readFileSync(json, "utf8")) as { students: ClassRow[] }).students;
  const byName: Record<string, GradeReport> = {};
  for (const a of attacks) byName[a] = JSON.parse(readFileSync(join(reports, `${a}.json`), "utf8")) as GradeReport;
  return { ...r, table, csv, reports: byName };
}
