// Loads the implementation under test by module path. The default is the reference Raft in
// src/raft; RAFT_IMPL (or --impl) points the same suites at a student's or a broken Raft.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { RaftModule } from "../raft/api.ts";

export const DEFAULT_IMPL = new URL("../raft/index.ts", import.meta.url).pathname;

export async function loadImpl(path: string | undefined = process.env.RAFT_IMPL): Promise<RaftModule> {
  const file = path === undefined || path === "" ? DEFAULT_IMPL : resolve(path);
  let mod: Partial<RaftModule>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Partial<RaftModule>;
  } catch (e) {
    throw new Error(`cannot load the Raft implementation ${file}: ${(e as Error).message}`);
  }
  if (typeof mod.Make !== "function") {
    throw new Error(`the Raft implementation ${file} does not export a function Make(peers, me, persister, applyCh)`);
  }
  return mod as RaftModule;
}
