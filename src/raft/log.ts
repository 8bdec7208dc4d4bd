// The replicated log, with a snapshot offset.
//
// Raft indexes its log from 1 (index 0 is a sentinel with term 0). Once the service has taken
// a snapshot, entries up to and including `snapshotIndex` are gone: the log keeps only the
// term of the last compacted entry (`snapshotTerm`, needed for the AppendEntries consistency
// check right after the snapshot) and the entries after it. Every index used by the rest of
// the implementation is a *Raft index*; the translation to an array position lives here only.

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
  private entries: LogEntry[];

  constructor(snapshotIndex = 0, snapshotTerm = 0, entries: LogEntry[] = []) {
    this.snapshotIndex = snapshotIndex;
    this.snapshotTerm = snapshotTerm;
    this.entries = entries;
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
    for (const e of entries) this.entries.push(e);
  }

  /** Deletes the entry at `index` (> snapshotIndex) and every entry after it. */
  truncateFrom(index: number): void {
    if (index <= this.snapshotIndex) throw new RangeError(`RaftLog.truncateFrom(${index}): compacted up to ${this.snapshotIndex}`);
    this.entries.length = Math.max(0, index - this.snapshotIndex - 1);
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
    this.entries = this.entries.slice(index - this.snapshotIndex);
    this.snapshotIndex = index;
    this.snapshotTerm = term;
  }

  /** Replaces the whole log by a snapshot ending at (index, term), with no entries after it. */
  reset(index: number, term: number): void {
    this.entries = [];
    this.snapshotIndex = index;
    this.snapshotTerm = term;
  }

  /** The entries after the snapshot, for persisting (the array itself: do not change it). */
  tail(): readonly LogEntry[] {
    return this.entries;
  }
}
// SOLUTION END
