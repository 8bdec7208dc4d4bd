// The trace: every interesting step of a run as a structured event (virtual time, peer,
// topic, message), folded into a rolling hash. The hash is cheap enough to stay on in every
// run, and two runs with the same seed must produce the same hash: that is how replay is
// proved exact. The events themselves are kept in full only when asked (replay, --log,
// timelines); otherwise a ring buffer keeps the last few for failure reports.

/** Topics are what `raftlab replay --log` colours and filters by. */
export type Topic =
  | "election" | "vote" | "append" | "commit" | "persist" | "snapshot" | "apply"
  | "rpc" | "drop" | "partition" | "crash" | "tester" | "log" | "violation";

export interface TraceEvent {
  /** Virtual milliseconds. */
  t: number;
  /** The peer the event belongs to, or -1 for the tester and the network as a whole. */
  peer: number;
  topic: Topic;
  msg: string;
  /** Structured details for viewers (timeline); not part of the hash. */
  data?: Record<string, unknown>;
}

export interface TraceOptions {
  /** Keep every event (replay) instead of only the last `ringSize`. */
  keepAll?: boolean;
  ringSize?: number;
  /** Sees every event as it is recorded (the tester's always-on run summary); not part of the hash. */
  observer?: (ev: TraceEvent) => void;
}

const FNV_PRIME = 0x01000193;
// Scratch views for hashing a number's bits (no allocation per event).
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);

export class Trace {
  private h1 = 0x811c9dc5;
  private h2 = 0x050c5d1f;
  private count = 0;
  private readonly keepAll: boolean;
  private readonly ringSize: number;
  private readonly events: TraceEvent[] = [];
  private ringStart = 0;
  private readonly observer: ((ev: TraceEvent) => void) | undefined;

  constructor(options: TraceOptions = {}) {
    this.keepAll = options.keepAll ?? false;
    this.ringSize = options.ringSize ?? 200;
    this.observer = options.observer;
  }

  record(ev: TraceEvent): void {
    this.count++;
    this.mix(ev.t);
    this.mix(ev.peer + 1);
    this.mixString(ev.topic);
    this.mixString(ev.msg);
    this.observer?.(ev);
    if (this.keepAll) {
      this.events.push(ev);
    } else if (this.events.length < this.ringSize) {
      this.events.push(ev);
    } else {
      this.events[this.ringStart] = ev;
      this.ringStart = (this.ringStart + 1) % this.ringSize;
    }
  }

  /** Number of events recorded so far (all of them, kept or not). */
  get length(): number {
    return this.count;
  }

  /** The rolling hash, as 16 hex digits. */
  get hash(): string {
    return (this.h1 >>> 0).toString(16).padStart(8, "0") + (this.h2 >>> 0).toString(16).padStart(8, "0");
  }

  /** The kept events in order: all of them with keepAll, else the last ringSize. */
  kept(): TraceEvent[] {
    return this.events.slice(this.ringStart).concat(this.events.slice(0, this.ringStart));
  }

  private mix(n: number): void {
    // Fold the number's IEEE-754 bits, so fractional virtual times hash apart too.
    F64[0] = n;
    const lo = U32[0]!;
    const hi = U32[1]!;
    this.h1 = Math.imul(this.h1 ^ lo, FNV_PRIME);
    this.h1 = Math.imul(this.h1 ^ hi, FNV_PRIME);
    this.h2 = Math.imul(this.h2 ^ (lo >>> 16) ^ (lo << 16) ^ hi, 0x5bd1e995);
    this.h2 ^= this.h2 >>> 13;
  }

  private mixString(s: string): void {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, FNV_PRIME);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    this.h1 = Math.imul(h1 ^ 0xff, FNV_PRIME);
    this.h2 = h2;
  }
}
