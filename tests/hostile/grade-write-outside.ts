// Writes outside the course: the temp folder and the home folder. Expected: refused; 0 points.
import { writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import type { MakeFn } from "../../src/raft/api.ts";
import { attempt, deadRaft } from "./grade-dead.ts";

export const OUTSIDE = join(tmpdir(), "raftlab-hostile-outside.txt");

export const Make: MakeFn = () => {
  attempt("write to the temp folder", () => writeFileSync(OUTSIDE, "x"));
  attempt("write to the home folder", () => writeFileSync(join(homedir(), "raftlab-hostile-outside.txt"), "x"));
  return deadRaft();
};
