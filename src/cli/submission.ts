// What a submission is, and how it is laid over the course's harness.
//
// A submission is a student's Raft: the files of their src/raft folder, nothing else. It is
// given as (1) a repository that holds src/raft/, (2) that src/raft folder itself, or (3) one
// module file: alone, or, when it stands in a folder named raft (src/raft/index.ts), with
// the source files beside it. Wherever it lies on disk, its files are
// placed where the course's own src/raft files were (the reference solution is left out; the
// lab API types in src/raft/api.ts stay the course's), so that its imports of the lab API
// (`../sim/index.ts`, `../labrpc/index.ts`, `./api.ts`, …) reach the course's harness. A
// student's own simulator, network, tester or tests are never read, as MIT's graders copy in
// only the Raft files.
//
// A module inside the course checkout (a broken Raft under tests/broken, the reference) is
// not a submission: it is used where it is, with the checkout around it.
import { existsSync, readdirSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { UsageError } from "./catalog.ts";

/** The course checkout this CLI belongs to. */
export const COURSE_ROOT = fileURLToPath(new URL("../../", import.meta.url)).replace(/\/$/, "");

/** Source files a submission may hold. */
const SOURCE = /\.(ts|mts|js|mjs)$/;
/** Generous bounds that no Raft comes near: a submission is a handful of small files. */
const MAX_FILES = 200;
const MAX_BYTES = 5 * 1024 * 1024;

export interface Submission {
  /** What the user gave, resolved. */
  given: string;
  /** "repository" | "folder" | "file" | "checkout" (a module inside the course checkout). */
  layout: "repository" | "folder" | "file" | "checkout";
  /** The folder whose files are the student's src/raft (absent for "checkout"). */
  dir?: string;
  /** The student's files, relative to `dir`. */
  files: string[];
  /** The module exporting Make: relative to `dir`, or to the checkout for "checkout". */
  entry: string;
}

function inside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith("..") && !rel.startsWith(sep) && rel !== "..");
}

/** The source files under `dir` (not node_modules, not dot-folders), relative to it. */
function sourceFiles(dir: string, what: string): string[] {
  const out: string[] = [];
  let bytes = 0;
  const walk = (sub: string): void => {
    for (const name of readdirSync(join(dir, sub)).sort()) {
      if (name.startsWith(".") || name === "node_modules") continue;
      const rel = sub === "" ? name : `${sub}/${name}`;
      const st = statSync(join(dir, rel));
      if (st.isDirectory()) walk(rel);
      else if (st.isFile() && SOURCE.test(name) && !name.endsWith(".d.ts")) {
        out.push(rel);
        bytes += st.size;
        if (out.length > MAX_FILES || bytes > MAX_BYTES) {
          throw new UsageError(`${what}: more than ${MAX_FILES} source files or ${MAX_BYTES / 1024 / 1024} MB; a submission is the student's src/raft folder`);
        }
      }
    }
  };
  walk("");
  return out;
}

function entryOf(dir: string, files: string[], what: string): string {
  for (const name of ["index.ts", "index.js", "index.mjs", "raft.ts", "raft.js"]) if (files.includes(name)) return name;
  throw new UsageError(`${what}: no index.ts (or raft.ts) in ${dir}; the module exporting Make is src/raft/index.ts`);
}

/** Resolves what the user gave (--submission, --impl, a folder of a class) to a submission. */
export function resolveSubmission(path: string, flag = "--submission"): Submission {
  const what = `${flag} ${path}`;
  const abs = resolve(path);
  if (!existsSync(abs)) throw new UsageError(`${what}: no such file${flag === "--impl" ? "" : " or folder"}`);
  const real = realpathSync(abs);
  const st = statSync(real);
  if (inside(real, COURSE_ROOT) && !inside(real, join(COURSE_ROOT, "node_modules"))) {
    if (!st.isFile()) throw new UsageError(`${what}: a folder inside the course checkout; give the module that exports Make (e.g. src/raft/index.ts)`);
    return { given: abs, layout: "checkout", files: [], entry: relative(COURSE_ROOT, real) };
  }
  if (st.isFile()) {
    if (!SOURCE.test(real)) throw new UsageError(`${what}: not a TypeScript or JavaScript module`);
    const dir = dirname(real);
    if (basename(dir) === "raft") return { given: abs, layout: "folder", dir, files: sourceFiles(dir, what), entry: basename(real) };
    return { given: abs, layout: "file", dir, files: [basename(real)], entry: basename(real) };
  }
  const raft = join(real, "src", "raft");
  if (existsSync(raft) && statSync(raft).isDirectory()) {
    const files = sourceFiles(raft, what);
    return { given: abs, layout: "repository", dir: raft, files, entry: entryOf(raft, files, what) };
  }
  const files = sourceFiles(real, what);
  if (files.length === 0) throw new UsageError(`${what}: no src/raft folder and no source files; a submission is a repository with src/raft/, its src/raft folder, or one module file`);
  return { given: abs, layout: "folder", dir: real, files, entry: entryOf(real, files, what) };
}

/** Where a student's file stands in the course's tree (the place of the course's src/raft file). */
export function placeInCourse(sub: Submission, file: string): string {
  return sub.layout === "checkout" ? file : `src/raft/${file}`;
}

/** The course-relative path of the submission's entry module. */
export function courseEntry(sub: Submission): string {
  return placeInCourse(sub, sub.entry);
}

/** A path in the course's tree back to the student's own path (for messages). */
export function studentPath(sub: Submission, courseRel: string): string {
  if (sub.layout === "checkout" || sub.dir === undefined) return join(COURSE_ROOT, courseRel);
  return courseRel.startsWith("src/raft/") ? join(sub.dir, courseRel.slice("src/raft/".length)) : join(COURSE_ROOT, courseRel);
}
