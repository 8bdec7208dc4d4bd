// Compiles a submission (one file and its relative imports, wherever it lies on disk) into
// one script for the sandbox realm, and the lab API kernel into another. The import rules
// are here: an import of the lab API (`../sim/index.ts`, `../labgob/index.ts`, `./api.ts`,
// the types of `../labrpc` and `../persister`) is the course's own module, whatever copy the
// submission has beside it; the submission's own files are compiled in; anything else (Node's
// builtins, packages, the simulator's and the tester's internals) refuses to load with one
// sentence. Every import of a file compiled in is checked by the same rules, so a file is
// compiled in only if what it imports is allowed too. Types are stripped by esbuild (tsx's own compiler), so neither the submission's
// package.json ("type": "module" or not) nor its tsconfig.json plays any part.
import { existsSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, extname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { Message, Plugin } from "esbuild";

/** The course's src/ folder: the one copy of the lab API every submission runs over. */
const SRC = fileURLToPath(new URL("../", import.meta.url));
const KERNEL_ENTRY = fileURLToPath(new URL("./lab/kernel.ts", import.meta.url));
const PORT = fileURLToPath(new URL("./lab/port.ts", import.meta.url));
/** The course's tests/: its broken Rafts and fixtures share helpers (tests/broken/make.ts). */
const COURSE_TESTS = fileURLToPath(new URL("../../tests/", import.meta.url));

/** What a submission may import, by the module's place in a src/ tree (extension left off). */
const LAB_API: ReadonlyArray<[tail: string, specifier: string]> = [
  ["sim/index", "raftlab:sim"],
  ["labgob/index", "raftlab:labgob"],
  ["raft/api", "raftlab:types"],
  ["labrpc/index", "raftlab:types"],
  ["persister/index", "raftlab:types"],
];

export const LAB_API_SENTENCE = "a submission may import only the lab API (../sim/index.ts, ../labgob/index.ts, ./api.ts and the types of ../labrpc and ../persister) and its own files";

/** A submission compiled for the sandbox: plain strings, so a parent can hand it to a worker. */
export interface CompiledSubmission {
  /** The entry file, absolute. */
  file: string;
  /** The lab API kernel's script (the same for every submission). */
  kernel: string;
  /** The submission's script: CommonJS over `require`, `module`, `exports`. */
  code: string;
}

/** Why a submission did not compile or load: one sentence, naming the file and line when there is one. */
export class SubmissionError extends Error {
  override readonly name = "SubmissionError";
}

let kernelCode: Promise<string> | undefined;

/** The lab API kernel's script: src/sandbox/lab over the course's src/sim and src/labgob. */
export function compileKernel(): Promise<string> {
  kernelCode ??= bundle(KERNEL_ENTRY, kernelPlugin());
  return kernelCode;
}

export async function compileSubmission(file: string): Promise<CompiledSubmission> {
  const entry = resolve(file);
  if (!existsSync(entry)) throw new SubmissionError(`there is no file ${entry}`);
  const [kernel, code] = await Promise.all([compileKernel(), bundle(entry, submissionPlugin(entry))]);
  return { file: entry, kernel, code };
}

async function bundle(entry: string, plugin: Plugin): Promise<string> {
  // Loaded on first use: a worker that is handed a compiled submission never loads esbuild
  // (which would need a child process, denied under the permission model).
  const { build } = await import("esbuild");
  try {
    const out = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: "cjs",
      platform: "neutral",
      target: "es2022",
      charset: "utf8",
      logLevel: "silent",
      plugins: [plugin],
      // Fixed, so that a submission's own tsconfig.json changes nothing; unused imports of
      // types without `import type` are dropped, as tsc would.
      tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: false, useDefineForClassFields: true } },
    });
    return out.outputFiles[0]!.text;
  } catch (e) {
    const errors = (e as { errors?: Message[] }).errors;
    if (errors === undefined || errors.length === 0) throw e;
    throw new SubmissionError(describe(errors[0]!));
  }
}

function describe(m: Message): string {
  const where = m.location === null ? "" : ` (${m.location.file}:${m.location.line})`;
  return `${m.text}${where}`;
}

/** The kernel's bundle: the course's sim modules see port.ts as their world. */
function kernelPlugin(): Plugin {
  return {
    name: "raftlab-kernel",
    setup(b) {
      b.onResolve({ filter: /^\.\/world\.ts$/ }, (args) =>
        resolve(args.resolveDir) === resolve(SRC, "sim") ? { path: PORT } : undefined);
      b.onResolve({ filter: /^[^./]/ }, (args) => ({ errors: [{ text: `the lab API kernel may not import ${args.path}` }] }));
    },
  };
}

function submissionPlugin(entry: string): Plugin {
  const home = dirname(entry);
  return {
    name: "raftlab-submission",
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === "entry-point") return { path: entry };
        const r = resolveImport(args.path, args.resolveDir, home);
        return "error" in r ? { errors: [{ text: r.error }] } : r;
      });
      b.onLoad({ filter: /.*/ }, (args) => {
        const ext = extname(args.path);
        const loader = [".ts", ".mts", ".cts"].includes(ext) ? "ts" : [".js", ".mjs", ".cjs"].includes(ext) ? "js" : undefined;
        if (loader === undefined) return { errors: [{ text: `a submission is made of .ts and .js files; ${args.path} is neither` }] };
        return { contents: readFileSync(args.path, "utf8"), loader };
      });
    },
  };
}

/** Where an import of a submission leads: a lab API module, one of its own files, or a refusal. */
export function resolveImport(spec: string, fromDir: string, home: string): { path: string; external?: boolean } | { error: string } {
  const bare = spec.startsWith("node:") ? spec.slice(5) : spec;
  if (spec.startsWith("node:") || builtinModules.includes(bare.split("/")[0]!)) {
    return { error: `a Raft may not import Node's "${bare}" module: ${LAB_API_SENTENCE}` };
  }
  if (!spec.startsWith(".") && !spec.startsWith("/")) {
    return { error: `a Raft may not import the package "${spec}": ${LAB_API_SENTENCE}` };
  }
  const target = resolve(fromDir, spec);
  const lab = labModule(target, home);
  if (lab !== undefined) return { path: lab, external: true };
  const file = findFile(target);
  if (file === undefined) return { error: `cannot find ${spec} (imported from ${fromDir}${sep})` };
  if (inside(file, home) || inside(file, join(SRC, "raft")) || inside(file, COURSE_TESTS)) return { path: file };
  return { error: `a Raft may not import ${relative(home, file)}: ${LAB_API_SENTENCE}` };
}

/** The lab API module an import names: by its place in a src/ tree, or ./api.ts beside the entry. */
function labModule(target: string, home: string): string | undefined {
  const noExt = target.replace(/\.(ts|js|mts|mjs)$/, "");
  const parts = noExt.split(sep);
  const tail2 = parts.slice(-2).join("/");
  const asDir = `${parts.slice(-1)[0]}/index`;
  for (const [tail, specifier] of LAB_API) {
    if (tail2 === tail || asDir === tail) return specifier;
  }
  if (noExt === join(home, "api")) return "raftlab:types";
  return undefined;
}

function findFile(target: string): string | undefined {
  const candidates = [target, target.replace(/\.js$/, ".ts"), `${target}.ts`, join(target, "index.ts")];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

function inside(file: string, dir: string): boolean {
  const rel = relative(dir, file);
  return rel !== "" && !rel.startsWith("..") && !rel.startsWith(sep);
}
