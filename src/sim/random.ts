// Seeded randomness. Every random decision in a run flows from the run's seed through a
// named stream: the stream for (seed, "net") is independent of the stream for
// (seed, "tester") or (seed, "raft"), so a change in how one component draws numbers does
// not reshuffle every other component's decisions.
import seedrandom from "seedrandom";

export class Rng {
  private readonly prng: seedrandom.PRNG;

  constructor(seed: string, stream: string) {
    this.prng = seedrandom.alea(`${seed}/${stream}`);
  }

  /** A uniform float in [0, 1) with 53 bits of precision. */
  float(): number {
    return this.prng.double();
  }

  /** Go's rand.Intn(n): a uniform integer in 0..n-1. */
  intn(n: number): number {
    if (!(n > 0) || !Number.isSafeInteger(n)) throw new RangeError(`Rng.intn: bad bound ${n}`);
    return n <= 0x100000000 ? Math.floor(this.prng() * n) : Math.floor(this.prng.double() * n);
  }

  /** A uniform integer in lo..hi, both ends included. */
  between(lo: number, hi: number): number {
    return lo + this.intn(hi - lo + 1);
  }

  /**
   * The port's stand-in for Go's rand.Int(): a uniform non-negative integer below 2^53,
   * so that every value is exact in a JavaScript number (spec §7.3, option a).
   */
  int(): number {
    return Math.floor(this.prng.double() * 2 ** 53);
  }
}
