// Type errors, reported the way Go refuses to compile. TypeScript's types are stripped when
// the code runs, so a Raft with type errors would run (and perhaps pass) without anyone being
// told; `make partX` and `grade` type-check the student's src/raft files first, against the
// course's lab API types and harness, with the course's compiler options.
//
// A submission's files are checked where they would stand in the course's tree (see
// submission.ts): the compiler sees them as src/raft/*, and every other file is the course's.
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { platformUses } from "./platform-scan.ts";
import { COURSE_ROOT, placeInCourse, type Submission } from "./submission.ts";

type TS = typeof import("typescript");

let tsModule: Promise<TS | null> | undefined;
/** TypeScript is a development dependency: a grader installed without it skips the check and says so. */
function typescript(): Promise<TS | null> {
  tsModule ??= import("typescript").then((m) => (m.default ?? m) as TS, () => null);
  return tsModule;
}

function compilerOptions(ts: TS): import("typescript").CompilerOptions {
  const cfg = ts.readConfigFile(join(COURSE_ROOT, "tsconfig.json"), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(cfg.config ?? {}, ts.sys, COURSE_ROOT);
  // Unused locals in a work-in-progress Raft are not errors (the handout's tsconfig agrees).
  // Node's types stay (console is declared there); they are most of the check's time.
  return { ...parsed.options, noEmit: true, noUnusedLocals: false, noUnusedParameters: false, incremental: false };
}

export interface TypeCheck {
  /** One line per error: `path(line,col): error TSnnnn: message`, paths as the student knows them. */
  errors: string[];
  /** Why the check did not run, if it did not. */
  skipped?: string;
}

/**
 * Type-checks the submission's files. `files` are course-relative paths of the files to
 * report on; `read` maps a course path to the text the compiler should see (undefined: the
 * file does not exist), so a submission outside the checkout is seen in src/raft's place.
 */
async function check(roots: string[], read: ((abs: string) => string | undefined) | undefined, display: (abs: string) => string): Promise<TypeCheck> {
  const ts = await typescript();
  if (ts === null) return { errors: [], skipped: "TypeScript is not installed (npm ci installs it)" };
  const options = compilerOptions(ts);
  const host = ts.createCompilerHost(options, true);
  // Type roots (@types/node) and relative paths are the course's, wherever grade runs from.
  host.getCurrentDirectory = () => COURSE_ROOT;
  if (read !== undefined) {
    host.fileExists = (f) => read(f) !== undefined;
    host.readFile = (f) => read(f);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (f, lang, onError, create) => {
      const text = read(f);
      return text === undefined ? getSourceFile(f, lang, onError, create) : ts.createSourceFile(f, text, lang);
    };
  }
  // (An incremental build-info cache was measured: no faster, as loading the compiler and
  // parsing the lib files dominate.)
  const program = ts.createProgram({ rootNames: roots, options, host });
  const rootSet = new Set(roots);
  const diags = [...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics()]
    .filter((d) => d.file === undefined || rootSet.has(d.file.fileName));
  const errors = diags.filter((d) => d.category === ts.DiagnosticCategory.Error).map((d) => {
    const msg = ts.flattenDiagnosticMessageText(d.messageText, " ");
    if (d.file === undefined || d.start === undefined) return `error TS${d.code}: ${msg}`;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${display(d.file.fileName)}(${line + 1},${character + 1}): error TS${d.code}: ${msg}`;
  });
  // Platform clocks, timers and randomness: refused the way a compiler refuses (platform-scan.ts).
  for (const root of roots) {
    const file = program.getSourceFile(root);
    if (file !== undefined) errors.push(...platformUses(ts, file, display(root)));
  }
  return { errors };
}

const isTs = (f: string): boolean => /\.m?ts$/.test(f);

/** Type-checks a submission laid over the course's tree. */
export async function typecheckSubmission(sub: Submission): Promise<TypeCheck> {
  if (sub.layout === "checkout") {
    const root = join(COURSE_ROOT, sub.entry);
    if (!isTs(root)) return { errors: [] };
    return check([root], (f) => (existsSync(f) ? readFileSync(f, "utf8") : undefined), (f) => relative(process.cwd(), f) || f);
  }
  const raftDir = join(COURSE_ROOT, "src/raft");
  const mine = new Map<string, string>(); // course path → student's file
  for (const f of sub.files) if (isTs(f) && placeInCourse(sub, f) !== "src/raft/api.ts") mine.set(join(COURSE_ROOT, placeInCourse(sub, f)), join(sub.dir!, f));
  const api = join(raftDir, "api.ts");
  const read = (abs: string): string | undefined => {
    const student = mine.get(abs);
    if (student !== undefined) return readFileSync(student, "utf8");
    // The reference's own src/raft files are not there: only the student's and the lab API.
    if (abs.startsWith(`${raftDir}/`) && abs !== api) return undefined;
    return existsSync(abs) ? readFileSync(abs, "utf8") : undefined;
  };
  return check([...mine.keys()], read, (abs) => mine.get(abs) ?? abs);
}

/** `make partX`: type-checks the checkout's own src/raft; prints the errors; exit 1 if any. */
export async function typecheckRaftFolder(dir = join(COURSE_ROOT, "src/raft")): Promise<TypeCheck> {
  const ts = await typescript();
  if (ts === null) return { errors: [], skipped: "TypeScript is not installed (npm ci installs it)" };
  const roots = ts.sys.readDirectory(dir, [".ts", ".mts"]).filter((f) => !f.endsWith(".d.ts"));
  return check(roots, undefined, (f) => relative(process.cwd(), f) || f);
}
