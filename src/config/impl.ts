// Loads the implementation under test by module path. The default is the course's own Raft
// in src/raft (the reference, or in a handout the student's own code), imported as it is.
// Any other module (RAFT_IMPL, --impl: a submission, a broken Raft, a fixture), wherever it
// lies on disk, runs confined: compiled with its relative imports into a realm of its own
// where it reaches only the lab API (src/sandbox; docs/GRADING.md, "Confinement").
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { RaftModule } from "../raft/api.ts";
import { compileSubmission, instantiate, type CompiledSubmission } from "../sandbox/index.ts";

export const DEFAULT_IMPL = new URL("../raft/index.ts", import.meta.url).pathname;

export interface LoadOptions {
  /**
   * Run the module confined. Default: yes for a module given by path, no for the default
   * (RAFTLAB_CONFINE=1 or 0 overrides both).
   */
  confine?: boolean;
  /** The submission already compiled (compileSubmission, e.g. by a parent process): loads without reading files or bundling. */
  compiled?: CompiledSubmission;
}

const confined = new Map<string, Promise<RaftModule>>();

export async function loadImpl(path: string | undefined = process.env.RAFT_IMPL, options: LoadOptions = {}): Promise<RaftModule> {
  const given = path !== undefined && path !== "";
  const file = given ? resolve(path) : DEFAULT_IMPL;
  const env = process.env.RAFTLAB_CONFINE;
  const confine = options.confine ?? (env === "1" ? true : env === "0" ? false : given || options.compiled !== undefined);
  if (confine) {
    const key = options.compiled === undefined ? file : `${file}\0${options.compiled.code}`;
    let mod = confined.get(key);
    if (mod === undefined) {
      mod = loadConfined(file, options.compiled);
      confined.set(key, mod);
      mod.catch(() => confined.delete(key));
    }
    return mod;
  }
  let mod: Partial<RaftModule>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Partial<RaftModule>;
  } catch (e) {
    throw new Error(`cannot load the Raft implementation ${file}: ${(e as Error).message}`);
  }
  return checked(file, mod);
}

async function loadConfined(file: string, compiled: CompiledSubmission | undefined): Promise<RaftModule> {
  let mod: RaftModule;
  try {
    mod = instantiate(compiled ?? (await compileSubmission(file)));
  } catch (e) {
    throw new Error(`cannot load the Raft implementation ${file}: ${(e as Error).message}`);
  }
  return checked(file, mod);
}

function checked(file: string, mod: Partial<RaftModule>): RaftModule {
  if (typeof mod.Make !== "function") {
    throw new Error(`the Raft implementation ${file} does not export a function Make(peers, me, persister, applyCh)`);
  }
  return mod as RaftModule;
}
