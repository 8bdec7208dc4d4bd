// A Go-like channel. Unbuffered by default: `send` completes only when a receiver has taken
// the value (applyCh's rendezvous). Buffered on request. `close` wakes every receiver with
// `ok: false` and makes later sends fail, as in Go.
//
// When several senders are parked, the next value taken is a seeded random one of theirs.
// In Go, goroutines that send concurrently reach the channel in an order nobody promises; in
// the simulator they would reach it in the order they were started, which would hide the
// classic bug of sending each ApplyMsg from its own goroutine. One parked sender (a single
// applier task) is unaffected, and a seed always makes the same choices.
import { world, type World } from "./world.ts";

export interface Received<T> {
  value: T | undefined;
  ok: boolean;
}

interface Sender<T> {
  value: T;
  resolve: () => void;
  reject: (e: Error) => void;
  token: number;
}

interface Receiver<T> {
  resolve: (r: Received<T>) => void;
  token: number;
}

export class Channel<T> {
  private readonly buffer: T[] = [];
  private readonly senders: Sender<T>[] = [];
  private readonly receivers: Receiver<T>[] = [];
  private isClosed = false;
  /** Called at the start of every send; the tester uses it to watch killed instances. */
  onSend: ((value: T) => void) | undefined;

  constructor(readonly capacity = 0, readonly name = "channel") {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`Channel: bad capacity ${capacity}`);
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Number of values waiting in the buffer. */
  get length(): number {
    return this.buffer.length;
  }

  send(value: T): Promise<void> {
    const w = world();
    this.onSend?.(value);
    if (this.isClosed) return Promise.reject(new Error(`send on closed channel ${this.name}`));
    const receiver = this.receivers.shift();
    if (receiver !== undefined) {
      w.unblock(receiver.token);
      w.wake();
      receiver.resolve({ value, ok: true });
      return Promise.resolve();
    }
    if (this.buffer.length < this.capacity) {
      this.buffer.push(value);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      this.senders.push({ value, resolve, reject, token: w.block(`send on ${this.name}`) });
    });
  }

  /** Go's `v, ok := <-ch`. */
  recv(): Promise<Received<T>> {
    const w = world();
    if (this.buffer.length > 0) {
      const value = this.buffer.shift() as T;
      this.admitSender(w);
      return Promise.resolve({ value, ok: true });
    }
    const sender = this.takeSender(w);
    if (sender !== undefined) {
      this.release(w, sender);
      return Promise.resolve({ value: sender.value, ok: true });
    }
    if (this.isClosed) return Promise.resolve({ value: undefined, ok: false });
    return new Promise<Received<T>>((resolve) => {
      this.receivers.push({ resolve, token: w.block(`receive on ${this.name}`) });
    });
  }

  close(): void {
    if (this.isClosed) throw new Error(`close of closed channel ${this.name}`);
    this.isClosed = true;
    const w = world();
    for (const r of this.receivers.splice(0)) {
      w.unblock(r.token);
      r.resolve({ value: undefined, ok: false });
    }
    for (const s of this.senders.splice(0)) {
      w.unblock(s.token);
      s.reject(new Error(`send on closed channel ${this.name}`));
    }
    w.wake();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      const r = await this.recv();
      if (!r.ok) return;
      yield r.value as T;
    }
  }

  /** A value left the buffer: the oldest parked sender may now put its value in. */
  private admitSender(w: World): void {
    const sender = this.takeSender(w);
    if (sender === undefined) return;
    this.buffer.push(sender.value);
    this.release(w, sender);
  }

  /** The parked sender whose value goes next: the only one, or a seeded random one of several. */
  private takeSender(w: World): Sender<T> | undefined {
    if (this.senders.length <= 1) return this.senders.shift();
    const k = w.rng("channel-senders").intn(this.senders.length);
    return this.senders.splice(k, 1)[0];
  }

  private release(w: World, sender: Sender<T>): void {
    w.unblock(sender.token);
    w.wake();
    sender.resolve();
  }
}
