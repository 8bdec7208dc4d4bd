// Random helpers for Raft code. They draw from the run's seed, so a run replays exactly.
// Each call site may name its own stream (rng("raft-3")); the plain helpers share the
// stream "raft".
import type { Rng } from "./random.ts";
import { world } from "./world.ts";

/** The named random stream of the running world (the same object for the same name). */
export function rng(stream: string): Rng {
  return world().rng(stream);
}

/** A uniform integer in lo..hi, both ends included. */
export function randomInt(lo: number, hi: number): number {
  return world().rng("raft").between(lo, hi);
}

/** A uniform float in [0, 1). */
export function random(): number {
  return world().rng("raft").float();
}
