// Hostile submissions for `raftlab grade` (tests/grade-hostile.test.ts). Each file is a
// student's src/raft/index.ts as handed in: the test copies it into a class folder outside the
// checkout, its "../../src/raft/" imports becoming "./" and "../../src/" becoming "../", as
// they read in a student's repository. This one is the Raft they return once their attack is
// done: it never elects a leader, so every run it reaches fails with the tester's own sentence.
import type { Raft } from "../../src/raft/api.ts";

export function deadRaft(): Raft {
  return {
    Start: () => [-1, 0, false],
    GetState: () => [0, false],
    Snapshot: () => {},
    Kill: () => {},
  };
}

/** Runs an attack and swallows its failure, as an attacker would, to go on to the next. */
export function attempt(what: string, attack: () => unknown): string {
  try {
    attack();
    return `${what}: done`;
  } catch (e) {
    return `${what}: ${(e as Error).message}`;
  }
}
