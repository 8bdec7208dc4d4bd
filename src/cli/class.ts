// `raftlab grade --class DIR`: every submission in DIR (each folder, or module file, is one
// student, named by it) graded into one class table: one row per student with the score,
// points per part, hung and crashed runs, type errors and a load failure, as CSV and JSON.
//
// The table is rewritten after each student, so an interruption loses at most the student
// being graded; run the same command again and the students already in the table are
// skipped (resumable). A table graded with other settings (seeds, parts, harness) is not
// resumed but refused, so one table never mixes two gradings.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { harnessVersion } from "./build.ts";
import { selectTests, UsageError } from "./catalog.ts";
import { gradeSubmission, writeOutputs, type GradeOptions } from "./grade.ts";
import { PARTS } from "./catalog.ts";
import { resolveSubmission } from "./submission.ts";
import { formatTable } from "./table.ts";

export const CLASS_SCHEMA = "raftlab-class/1";

export interface ClassRow {
  student: string;
  score: number;
  maxScore: number;
  /** Points per part; null when the part was not graded. */
  A: number | null;
  B: number | null;
  C: number | null;
  D: number | null;
  runs: number;
  passed: number;
  failed: number;
  hung: number;
  crashed: number;
  typeErrors: number;
  /** Why the submission could not be graded or loaded ("" when it could). */
  error: string;
}

export interface ClassTable {
  schema: typeof CLASS_SCHEMA;
  harness: string;
  /** The settings every row was graded with. */
  settings: { seeds: number; base: string; part: string; test: string; race: boolean };
  students: ClassRow[];
}

const COLUMNS: Array<keyof ClassRow> = ["student", "score", "maxScore", "A", "B", "C", "D", "runs", "passed", "failed", "hung", "crashed", "typeErrors", "error"];

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? "" : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(t: ClassTable): string {
  return `${[COLUMNS.join(","), ...t.students.map((r) => COLUMNS.map((c) => csvCell(r[c])).join(","))].join("\n")}\n`;
}

/** The students of a CSV written by toCsv (to resume from a CSV alone). */
function studentsOfCsv(text: string): string[] {
  return text.split("\n").slice(1).filter((l) => l.trim() !== "").map((l) => {
    const m = /^"((?:[^"]|"")*)"|^([^,]*)/.exec(l);
    return m?.[1] !== undefined ? m[1].replace(/""/g, '"') : (m?.[2] ?? "");
  });
}

/** Writes a file by way of a temporary one, so an interruption never leaves half a table. */
function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** The submissions in DIR: each folder and each module file, by name (dot-files skipped). */
export function classMembers(dir: string): Array<{ student: string; path: string }> {
  const abs = resolve(dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) throw new UsageError(`--class ${dir}: no such folder`);
  return readdirSync(abs).sort()
    .filter((n) => !n.startsWith(".") && n !== "node_modules")
    .filter((n) => statSync(join(abs, n)).isDirectory() || /\.(ts|mts|js|mjs)$/.test(n))
    .map((n) => ({ student: n.replace(/\.(ts|mts|js|mjs)$/, ""), path: join(abs, n) }));
}

export async function classCommand(dir: string, opts: GradeOptions): Promise<number> {
  if (opts.json === undefined && opts.csv === undefined) throw new UsageError("--class: give --csv FILE and/or --json FILE for the class table");
  if (opts.junit !== undefined || opts.shard !== undefined || opts.failUnder !== undefined) {
    throw new UsageError(`--class grades whole submissions into a table; ${opts.junit !== undefined ? "--junit" : opts.shard !== undefined ? "--shard" : "--fail-under"} is for one submission`);
  }
  const members = classMembers(dir);
  if (members.length === 0) throw new UsageError(`--class ${dir}: no submissions in it (a submission is a folder or a module file)`);
  selectTests({ part: opts.part, test: opts.test });
  if (opts.reports !== undefined) mkdirSync(opts.reports, { recursive: true });
  const settings: ClassTable["settings"] = { seeds: opts.seeds, base: opts.base, part: opts.part ?? "", test: opts.test ?? "", race: opts.race };
  const table: ClassTable = { schema: CLASS_SCHEMA, harness: harnessVersion(), settings, students: [] };

  // Resume: what is already in the outputs is kept, and those students are not graded again.
  const done = new Set<string>();
  if (opts.json !== undefined && existsSync(opts.json)) {
    let old: ClassTable;
    try {
      old = JSON.parse(readFileSync(opts.json, "utf8")) as ClassTable;
    } catch (e) {
      throw new UsageError(`--json ${opts.json}: exists but is not a class table (${(e as Error).message}); give a new file to start a table`);
    }
    if (old?.schema !== CLASS_SCHEMA) throw new UsageError(`--json ${opts.json}: exists but is not a ${CLASS_SCHEMA} table; give a new file to start a table`);
    if (JSON.stringify(old.settings) !== JSON.stringify(settings) || old.harness !== table.harness) {
      throw new UsageError(`--json ${opts.json}: that table was graded with other settings or another harness (${JSON.stringify({ ...old.settings, harness: old.harness })}); resume it with the same ones, or give a new file`);
    }
    table.students = old.students;
    for (const r of old.students) done.add(r.student);
  } else if (opts.csv !== undefined && existsSync(opts.csv)) {
    for (const s of studentsOfCsv(readFileSync(opts.csv, "utf8"))) done.add(s);
    if (done.size > 0) process.stderr.write(`raftlab: resuming from ${opts.csv} alone: its ${done.size} student(s) are skipped, but only the new rows can be written to --json\n`);
  }
  const save = (): void => {
    table.students.sort((a, b) => a.student.localeCompare(b.student));
    if (opts.json !== undefined) writeAtomic(opts.json, `${JSON.stringify(table, null, 2)}\n`);
    if (opts.csv !== undefined) writeAtomic(opts.csv, opts.json === undefined && done.size > 0 ? mergeCsv(readFileSync(opts.csv, "utf8"), table) : toCsv(table));
  };

  const todo = members.filter((m) => !done.has(m.student));
  process.stderr.write(`raftlab grade --class ${dir}: ${members.length} submission(s)${done.size > 0 ? `, ${members.length - todo.length} already graded (skipped)` : ""}\n`);
  let interrupted = false;
  for (const [i, m] of todo.entries()) {
    process.stderr.write(`\n[${i + 1}/${todo.length}] ${m.student}\n`);
    let row: ClassRow;
    try {
      const sub = resolveSubmission(m.path, "--class");
      const r = await gradeSubmission(sub, opts, (s) => process.stderr.write(s));
      if (r.interrupted) {
        interrupted = true;
        break;
      }
      const rep = r.report;
      if (opts.reports !== undefined) writeOutputs(rep, join(opts.reports, `${m.student}.json`));
      const part = (p: string): number | null => {
        const x = rep.parts.find((q) => q.part === p);
        return x?.graded ? x.points : null;
      };
      row = {
        student: m.student, score: rep.score, maxScore: rep.maxScore, A: part("A"), B: part("B"), C: part("C"), D: part("D"),
        runs: rep.runs.length, passed: rep.counts.passed, failed: rep.runs.length - rep.counts.passed, hung: rep.counts.hung, crashed: rep.counts.crashed,
        typeErrors: rep.typeErrors.length, error: rep.loadError ?? "",
      };
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      row = { student: m.student, score: 0, maxScore: 0, A: null, B: null, C: null, D: null, runs: 0, passed: 0, failed: 0, hung: 0, crashed: 0, typeErrors: 0, error: e.message };
    }
    table.students.push(row);
    process.stderr.write(`  ${m.student}: ${row.score} / ${row.maxScore}${row.error ? ` (${row.error})` : ""}\n`);
    save();
  }
  save();
  process.stdout.write(`\n${formatTable(["student", "score", ...PARTS.map((p) => `Part${p}`), "hung", "crashed", "type errors"],
    table.students.map((r) => [r.student, `${r.score}/${r.maxScore}`, ...PARTS.map((p) => (r[p] === null ? "—" : String(r[p]))), r.hung, r.crashed, r.typeErrors]))}\n`);
  process.stdout.write(`\n${table.students.length} of ${members.length} submission(s) in the table${[opts.csv, opts.json].filter(Boolean).length > 0 ? `: ${[opts.csv, opts.json].filter(Boolean).join(", ")}` : ""}\n`);
  if (interrupted) process.stdout.write("interrupted: run the same command again to grade the rest\n");
  return interrupted ? 1 : 0;
}

/** A CSV-only resume: the old rows as they were, then the new ones. */
function mergeCsv(old: string, t: ClassTable): string {
  const have = new Set(studentsOfCsv(old));
  const fresh = t.students.filter((r) => !have.has(r.student));
  return `${old.trimEnd()}\n${fresh.map((r) => COLUMNS.map((c) => csvCell(r[c])).join(",")).join("\n")}${fresh.length > 0 ? "\n" : ""}`;
}
