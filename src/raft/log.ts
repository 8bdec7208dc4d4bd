// The replicated log, with a snapshot offset.
//
// Raft indexes its log from 1 (index 0 is a sentinel with term 0). Once the service has taken
// a snapshot, entries up to and including `snapshotIndex` are gone: the log keeps only the
// term of the last compacted entry (`snapshotTerm`, needed for the AppendEntries consistency
// check right after the snapshot) and the entries after it. Every index used by the rest of
// the implementation is a *Raft index*; the translation to an array position lives here only.
//
// The log also keeps its own persisted form up to date (EncodedLog below): persist() saves the
// whole log on every change, and copying bytes that are already encoded keeps that cost low
// when logs grow to thousands of entries.
import { decodeSequence, encode } from "../labgob/index.ts";

/** One log entry, as persisted and as carried by AppendEntries. */
export interface LogEntry {
  /** The term of the leader that created the entry. */
  Term: number;
  /** The service's command, opaque to Raft (a number or a string in the tests). */
  Command: unknown;
}

// SOLUTION BEGIN (PartB)
export class RaftLog {
  /** Index of the last entry covered by the snapshot (0 without one). */
  snapshotIndex: number;
  /** Term of the entry at snapshotIndex (0 without a snapshot). */
  snapshotTerm: number;
  /** entries[k] holds Raft index snapshotIndex + 1 + k. */
  private entries: LogEntry[] = [];
  /** The same entries, encoded for persisting. */
  private readonly encoded = new EncodedLog();

  constructor(snapshotIndex = 0, snapshotTerm = 0, entries: readonly LogEntry[] = []) {
    this.snapshotIndex = snapshotIndex;
    this.snapshotTerm = snapshotTerm;
    this.append(entries);
  }

  /** Rebuilds a log from its persisted form (see persisted()). */
  static fromPersisted(snapshotIndex: number, snapshotTerm: number, bytes: Uint8Array): RaftLog {
    const entries = decodeSequence(bytes).map((item, k): LogEntry => {
      if (!Array.isArray(item) || item.length !== 2 || !Number.isInteger(item[0])) {
        throw new Error(`RaftLog: persisted entry ${snapshotIndex + 1 + k} is not [term, command]`);
      }
      return { Term: item[0] as number, Command: item[1] };
    });
    return new RaftLog(snapshotIndex, snapshotTerm, entries);
  }

  /** Index of the last entry (snapshotIndex if no entry follows the snapshot). */
  lastIndex(): number {
    return this.snapshotIndex + this.entries.length;
  }

  /** Term of the last entry (snapshotTerm if no entry follows the snapshot). */
  lastTerm(): number {
    const n = this.entries.length;
    return n === 0 ? this.snapshotTerm : this.entries[n - 1]!.Term;
  }

  /**
   * Term of the entry at `index`, for snapshotIndex <= index <= lastIndex; -1 outside that
   * range (compacted away, or beyond the end), which never equals a real term.
   */
  term(index: number): number {
    if (index === this.snapshotIndex) return this.snapshotTerm;
    if (index < this.snapshotIndex || index > this.lastIndex()) return -1;
    return this.entries[index - this.snapshotIndex - 1]!.Term;
  }

  /** The entry at `index`; it must lie after the snapshot and exist. */
  entry(index: number): LogEntry {
    if (index <= this.snapshotIndex || index > this.lastIndex()) {
      throw new RangeError(`RaftLog.entry(${index}): outside (${this.snapshotIndex}, ${this.lastIndex()}]`);
    }
    return this.entries[index - this.snapshotIndex - 1]!;
  }

  /** A new array with the entries from `from` (> snapshotIndex) to the end. */
  slice(from: number): LogEntry[] {
    if (from <= this.snapshotIndex) throw new RangeError(`RaftLog.slice(${from}): compacted up to ${this.snapshotIndex}`);
    return this.entries.slice(from - this.snapshotIndex - 1);
  }

  /** Appends `entries` at the end. */
  append(entries: readonly LogEntry[]): void {
    for (const e of entries) {
      this.entries.push(e);
      this.encoded.push(e);
    }
  }

  /** Deletes the entry at `index` (> snapshotIndex) and every entry after it. */
  truncateFrom(index: number): void {
    if (index <= this.snapshotIndex) throw new RangeError(`RaftLog.truncateFrom(${index}): compacted up to ${this.snapshotIndex}`);
    const keep = Math.min(this.entries.length, index - this.snapshotIndex - 1);
    this.entries.length = keep;
    this.encoded.truncate(keep);
  }

  /**
   * The first index of the run of entries that share the term of the entry at `index`,
   * looking no further back than the first entry after the snapshot.
   */
  firstIndexOfTerm(index: number): number {
    const term = this.term(index);
    let i = index;
    while (i - 1 > this.snapshotIndex && this.term(i - 1) === term) i--;
    return i;
  }

  /** The last index holding `term` (the snapshot's last entry included), or -1 if none does. */
  lastIndexOfTerm(term: number): number {
    // Terms never decrease along a log, so scan back until they drop below `term`.
    for (let i = this.lastIndex(); i >= this.snapshotIndex; i--) {
      const t = this.term(i);
      if (t === term) return i;
      if (t < term) break;
    }
    return -1;
  }

  /** Discards every entry up to and including `index` (snapshotIndex < index <= lastIndex). */
  compact(index: number): void {
    if (index <= this.snapshotIndex || index > this.lastIndex()) {
      throw new RangeError(`RaftLog.compact(${index}): outside (${this.snapshotIndex}, ${this.lastIndex()}]`);
    }
    const term = this.term(index);
    const drop = index - this.snapshotIndex;
    this.entries = this.entries.slice(drop);
    this.encoded.dropFront(drop);
    this.snapshotIndex = index;
    this.snapshotTerm = term;
  }

  /** Replaces the whole log by a snapshot ending at (index, term), with no entries after it. */
  reset(index: number, term: number): void {
    this.entries = [];
    this.encoded.clear();
    this.snapshotIndex = index;
    this.snapshotTerm = term;
  }

  /**
   * The entries after the snapshot in persisted form: their labgob encodings back to back,
   * each entry as [Term, Command]. A view that is valid until the log next changes.
   */
  persisted(): Uint8Array {
    return this.encoded.bytes();
  }
}

/**
 * The persisted form of a log's entries, kept in step with them: the concatenation of each
 * entry's encoding, and the offset where each one starts. Appending encodes only the new
 * entries; truncating and compacting cut bytes off either end.
 */
class EncodedLog {
  private buf = new Uint8Array(1024);
  private used = 0;
  /** starts[k] is the offset of entry k's encoding in buf. */
  private starts: number[] = [];

  push(e: LogEntry): void {
    const b = encode([e.Term, e.Command], "a log entry [Term, Command]");
    if (this.used + b.length > this.buf.length) {
      const bigger = new Uint8Array(Math.max(2 * this.buf.length, this.used + b.length));
      bigger.set(this.buf.subarray(0, this.used));
      this.buf = bigger;
    }
    this.buf.set(b, this.used);
    this.starts.push(this.used);
    this.used += b.length;
  }

  /** Keeps the first `n` entries. */
  truncate(n: number): void {
    if (n >= this.starts.length) return;
    this.used = this.starts[n]!;
    this.starts.length = n;
  }

  /** Drops the first `n` entries. */
  dropFront(n: number): void {
    if (n <= 0) return;
    const cut = n < this.starts.length ? this.starts[n]! : this.used;
    this.buf.copyWithin(0, cut, this.used);
    this.used -= cut;
    this.starts = this.starts.slice(n).map((s) => s - cut);
  }

  clear(): void {
    this.used = 0;
    this.starts = [];
  }

  bytes(): Uint8Array {
    return this.buf.subarray(0, this.used);
  }
}
// SOLUTION END
