// The deterministic world: a virtual clock, an event queue ordered by (time, sequence),
// named random streams, a trace, and the driver that runs an async body (a test) to
// completion in virtual time.
//
// How time moves. The driver pops the earliest event, advances the clock to its time and
// runs it. Computation takes zero virtual time. An event that may have woken async code
// (resolved a promise, run a user handler) marks the world dirty; the driver then lets the
// microtask queue drain completely (settleThen, below) before it runs the next event, so
// every microtask of the current instant has run before the clock can move. Events that
// only touch internal bookkeeping stay clean and run back-to-back, which is what makes the
// scheduler fast.
//
// Go's scheduler, seeded. Goroutines promise no order, and MIT's verdicts depend on that. A
// task started with go(), and every RPC request, handler and reply (each its own goroutine
// in labrpc), is put on a ready list instead of running in its starter's synchronous code;
// before any timer fires, the driver picks ready tasks one at a time in an order drawn from
// the seed ("sched" stream), letting each settle. Heavy mode (--race) also starts go() tasks
// a seeded random 0..taskJitterMs virtual ms late, which reorders them across instants.
//
// Nothing here reads a platform clock or Math.random: the same seed gives the same run.
import { EventHeap } from "./heap.ts";
import { Rng } from "./random.ts";
import { Trace, type Topic, type TraceOptions } from "./trace.ts";

/** Explicit limits (TIGER_STYLE): a run that exceeds one is reported, never left spinning. */
export const MAX_EVENTS_PER_INSTANT = 1_000_000;
/** How many microtask settles the driver makes before it yields a macrotask to the platform. */
export const YIELD_EVERY = 256;

export interface WorldOptions {
  seed: string | number;
  /** Virtual-time budget in ms; the run fails when the clock would pass it. */
  budgetMs?: number;
  /** The failure message used when the budget is exceeded. */
  budgetMessage?: string;
  /**
   * Heavy mode (--race): each task started with go() becomes ready after a seeded random
   * 0..taskJitterMs virtual ms instead of at once. 0 (the default) makes it ready at once;
   * ready tasks always run in a seeded random order, after their starter yields.
   */
  taskJitterMs?: number;
  trace?: TraceOptions;
}

/** A failure of the simulated run: the first thing that went wrong, with when and the seed. */
export class SimFailure extends Error {
  constructor(
    message: string,
    readonly virtualMs: number,
    readonly seed: string,
    readonly kind: "failure" | "deadlock" | "budget" | "crash" | "stuck" = "failure",
  ) {
    super(message);
    this.name = "SimFailure";
  }
}

export interface RunOutcome {
  ok: boolean;
  failure?: SimFailure;
  virtualMs: number;
  events: number;
  traceHash: string;
}

let current: World | null = null;

/** The world that is running now. Raft code reaches time and randomness through this. */
export function world(): World {
  if (current === null) throw new Error("raftlab: no simulation is running (sim functions are only usable inside a test)");
  return current;
}

export function maybeWorld(): World | null {
  return current;
}

export class World {
  readonly seed: string;
  readonly trace: Trace;
  private clock = 0;
  private seq = 0;
  private readonly heap = new EventHeap();
  /** Tasks ready to run at this instant (Go's runnable goroutines), picked in seeded random order. */
  private readonly readyTasks: Array<() => void> = [];
  private readonly sched: Rng;
  private readonly streams = new Map<string, Rng>();
  private readonly budgetMs: number;
  private readonly budgetMessage: string;
  private readonly taskJitterMs: number;
  private dirty = false;
  /** The run has ended; late code may still call in until its microtasks are done. */
  private ended = false;
  private eventsRun = 0;
  private failure: SimFailure | undefined;
  private readonly blocked = new Map<number, string>();
  private nextBlockId = 1;
  private readonly afterStepHooks: Array<() => void> = [];

  constructor(options: WorldOptions) {
    this.seed = String(options.seed);
    this.budgetMs = options.budgetMs ?? Infinity;
    this.budgetMessage = options.budgetMessage ?? `virtual-time budget of ${this.budgetMs} ms exceeded`;
    this.taskJitterMs = options.taskJitterMs ?? 0;
    if (!Number.isInteger(this.taskJitterMs) || this.taskJitterMs < 0) throw new RangeError(`World: bad taskJitterMs ${options.taskJitterMs}`);
    this.trace = new Trace(options.trace);
    this.sched = this.rng("sched");
  }

  /** Virtual milliseconds since the world began. */
  get now(): number {
    return this.clock;
  }

  get failed(): SimFailure | undefined {
    return this.failure;
  }

  get eventCount(): number {
    return this.eventsRun;
  }

  /** The named random stream for this world's seed; the same name gives the same stream object. */
  rng(stream: string): Rng {
    let r = this.streams.get(stream);
    if (r === undefined) {
      r = new Rng(this.seed, stream);
      this.streams.set(stream, r);
    }
    return r;
  }

  /**
   * Schedules `fn` to run `delayMs` from now. `fn` is internal code: if it resolves a promise
   * or calls into user code it must call `wake()` (or use `wakeAfter`), so the driver lets
   * microtasks settle before the clock moves.
   */
  at(delayMs: number, fn: () => void): void {
    if (!(delayMs >= 0) || !Number.isFinite(delayMs)) throw new RangeError(`World.at: bad delay ${delayMs}`);
    if (this.ended) return; // the run is over: nothing will ever run this
    this.heap.push({ time: this.clock + delayMs, seq: this.seq++, fn });
  }

  /** Schedules `fn`, which may wake async code, to run `delayMs` from now. */
  wakeAfter(delayMs: number, fn: () => void): void {
    this.at(delayMs, () => {
      this.dirty = true;
      fn();
    });
  }

  /**
   * Runs `fn`, which may wake async code, as a task of its own at this instant: after the
   * running code yields, before the clock moves, in a seeded random order among the ready
   * tasks. This is how a goroutine starts: never inside its starter's synchronous code.
   */
  ready(fn: () => void): void {
    if (this.ended) return;
    this.readyTasks.push(fn);
  }

  /** `ready(fn)`, `delayMs` from now (a timer that wakes a goroutine). */
  readyAfter(delayMs: number, fn: () => void): void {
    if (delayMs === 0) this.ready(fn);
    else this.at(delayMs, () => this.ready(fn));
  }

  /** Says that the running event has resolved a promise or run user code. */
  wake(): void {
    this.dirty = true;
  }

  /** Records a trace event at the current virtual time. */
  record(peer: number, topic: Topic, msg: string, data?: Record<string, unknown>): void {
    this.trace.record(data === undefined ? { t: this.clock, peer, topic, msg } : { t: this.clock, peer, topic, msg, data });
  }

  /** Registers a parked waiter (for deadlock reports); returns a token for `unblock`. */
  block(what: string): number {
    const id = this.nextBlockId++;
    this.blocked.set(id, what);
    return id;
  }

  unblock(token: number): void {
    this.blocked.delete(token);
  }

  /** Runs `hook` after every step (an event and the microtasks it caused): the monitor's tap. */
  afterStep(hook: () => void): void {
    this.afterStepHooks.push(hook);
  }

  /** Fails the run. The first failure wins; later ones are consequences and are dropped. */
  fail(error: unknown, kind: SimFailure["kind"] = "failure"): void {
    if (this.failure !== undefined) return;
    const message = error instanceof Error ? error.message : String(error);
    this.failure = error instanceof SimFailure ? error : new SimFailure(message, this.clock, this.seed, kind);
    if (error instanceof Error && !(error instanceof SimFailure) && error.stack) {
      this.failure.stack = error.stack;
    }
  }

  /**
   * Starts an async task whose exceptions fail the run (Go's `go f()`). It becomes ready at
   * once (heavy mode: a seeded 0..taskJitterMs ms later) and runs, up to its first await,
   * when the driver picks it (see `ready`).
   */
  spawn(name: string, fn: () => unknown): void {
    const start = (): void => {
      let result: unknown;
      try {
        result = fn();
      } catch (e) {
        this.fail(taskError(name, e, this.clock));
        return;
      }
      if (result instanceof Promise) {
        result.catch((e: unknown) => this.fail(taskError(name, e, this.clock)));
      }
    };
    if (this.taskJitterMs === 0) this.ready(start);
    else this.readyAfter(this.rng("tasks").intn(this.taskJitterMs + 1), start);
  }

  /**
   * Runs `body` to completion in virtual time. Resolves (never rejects) with the outcome:
   * the body's success, or the first failure — a thrown exception, a deadlock, an exceeded
   * budget, or a task that crashed.
   */
  run(body: () => Promise<void>): Promise<RunOutcome> {
    if (current !== null && !current.ended) throw new Error("raftlab: a simulation is already running in this thread");
    current = this;
    let bodyDone = false;
    const onUnhandled = (reason: unknown): void => {
      this.fail(taskError("an async task", reason, this.clock));
    };
    process.on("unhandledRejection", onUnhandled);

    return new Promise<RunOutcome>((resolve) => {
      const finish = (): void => {
        // Code already queued when the run ends (a task's continuation) still runs: it finds
        // the world, and whatever it schedules never runs. Only once those microtasks are
        // done does the thread have no world (and our rejection handler go).
        this.ended = true;
        setImmediate(() => {
          process.off("unhandledRejection", onUnhandled);
          if (current === this) current = null;
        });
        resolve({
          ok: this.failure === undefined,
          ...(this.failure !== undefined ? { failure: this.failure } : {}),
          virtualMs: this.clock,
          events: this.eventsRun,
          traceHash: this.trace.hash,
        });
      };

      let sameInstant = 0;
      const step = (): void => {
        // Every microtask queued so far has run (settleThen guarantees it).
        for (const hook of this.afterStepHooks) {
          if (this.failure !== undefined) break;
          try {
            hook();
          } catch (e) {
            this.fail(e);
          }
        }
        for (;;) {
          if (this.failure !== undefined || bodyDone) return finish();
          const nReady = this.readyTasks.length;
          if (nReady > 0) {
            // A ready task runs before the clock moves; which one is the seed's choice.
            const k = nReady === 1 ? 0 : this.sched.intn(nReady);
            const task = this.readyTasks[k]!;
            this.readyTasks[k] = this.readyTasks[nReady - 1]!;
            this.readyTasks.pop();
            if (++sameInstant > MAX_EVENTS_PER_INSTANT) {
              this.fail(stuckError(this.clock, this.seed));
              return finish();
            }
            this.dirty = true;
            this.eventsRun++;
            try {
              task();
            } catch (e) {
              this.fail(taskError("a task", e, this.clock));
            }
            settleThen(step);
            return;
          }
          const ev = this.heap.pop();
          if (ev === undefined) {
            this.fail(this.deadlockError(), "deadlock");
            return finish();
          }
          if (ev.time > this.budgetMs) {
            this.clock = this.budgetMs;
            this.fail(new SimFailure(this.budgetMessage, this.clock, this.seed, "budget"));
            return finish();
          }
          if (ev.time > this.clock) {
            this.clock = ev.time;
            sameInstant = 0;
          } else if (++sameInstant > MAX_EVENTS_PER_INSTANT) {
            this.fail(stuckError(this.clock, this.seed));
            return finish();
          }
          this.dirty = false;
          this.eventsRun++;
          try {
            ev.fn();
          } catch (e) {
            this.fail(taskError("a scheduled callback", e, this.clock));
          }
          if (this.dirty) {
            settleThen(step);
            return;
          }
        }
      };

      this.dirty = true;
      let settles = 0;
      // Runs `next` once every microtask queued so far, and every one they queue, has run.
      // A microtask that schedules a nextTick does it: Node drains the whole microtask queue
      // before it looks at the nextTick queue again. Every YIELD_EVERY settles the driver
      // yields a macrotask instead, so timers, I/O and signals (Ctrl-C, worker messages) are
      // not starved by a long run.
      const settleThen = (next: () => void): void => {
        if (++settles % YIELD_EVERY === 0) setImmediate(next);
        else queueMicrotask(() => process.nextTick(next));
      };
      let started: Promise<void>;
      try {
        started = body();
      } catch (e) {
        started = Promise.reject(e);
      }
      started.then(
        () => {
          bodyDone = true;
        },
        (e: unknown) => {
          bodyDone = true;
          this.fail(e);
        },
      );
      setImmediate(step);
    });
  }

  private deadlockError(): SimFailure {
    const waiting = [...this.blocked.values()];
    const what = waiting.length > 0 ? `; waiting: ${waiting.join(", ")}` : "";
    return new SimFailure(
      `deadlock at ${this.clock} ms: the test is waiting but nothing is scheduled${what}`,
      this.clock, this.seed, "deadlock");
  }
}

function stuckError(clock: number, seed: string): SimFailure {
  return new SimFailure(
    `virtual time is stuck at ${clock} ms: more than ${MAX_EVENTS_PER_INSTANT} events ran at that instant (a loop that never sleeps for a positive time?)`,
    clock, seed, "stuck");
}

function taskError(where: string, e: unknown, t: number): SimFailure | Error {
  if (e instanceof SimFailure) return e;
  const detail = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  const err = new Error(`${where} threw at ${t} ms: ${detail}`);
  if (e instanceof Error && e.stack) err.stack = `${err.message}\n${e.stack.split("\n").slice(1).join("\n")}`;
  return err;
}
