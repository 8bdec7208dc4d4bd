// labgob: the compact, deterministic binary codec behind every RPC argument and reply and
// everything persisted (spec §2.5, C1–C5).
//
// Wire format. Every value starts with one tag byte:
//
//   0x00            null
//   0x01 / 0x02     false / true
//   0x03 v          integer in the safe range, v = zigzag varint (LEB128, 7 bits a byte)
//   0x04 f          other finite number (including -0), f = float64, 8 bytes little-endian
//   0x05 n b        string, n = varint byte length, b = UTF-8 bytes
//   0x06 n b        Uint8Array, n = varint length, b = the raw bytes
//   0x07 n v*       array of n values
//   0x08 n (k v)*   plain object with n members, k = key as varint byte length + UTF-8 bytes
//   0x80 | i        integer i in 0..127 in a single byte (terms, indexes, small commands)
//
// There is no header and no type description: a message costs its payload plus a byte or two a
// value, and the same value always encodes to the same bytes.
//
// Anything outside that set (functions, symbols, undefined, bigint, non-finite numbers, class
// instances, collections, cycles, accessors, non-enumerable or symbol-keyed members...) makes
// encode throw a LabgobError naming the path to the value and what it is. Nothing is dropped.
//
// Speed: this is on the hot path of every RPC and every persist, and Raft code sends and saves
// the same few shapes over and over: logs of thousands of {Term, Command} objects, small
// integers, short ASCII strings. So (see docs/BENCH.md for the figures):
//   - encode writes into one module-level growable buffer (copied out once with slice);
//   - objects with the same keys share a Shape: the keys' encodings are made once, and
//     written with a byte copy;
//   - an object met as an array element (a log entry) is checked in full (symbol keys,
//     accessors, non-enumerable members) the first time only; its Shape is remembered in a
//     WeakMap, and later encodes of the same object only compare Object.keys with it;
//   - long arrays of objects are memoized only from their second encode, so an array encoded
//     once (a fresh copy, a log just decoded) costs what it would without memos;
//   - decode recognises a Shape by its key bytes, without decoding any key; a Shape met often
//     gets a decoder compiled for it, which compares its key bytes as constants, reads the
//     values and makes the object with one object literal.
// The wire format is unchanged by all this: the same value gives the same bytes as before.

export class LabgobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LabgobError";
  }
}

/** Containers (arrays and objects) may nest at most this deep, on both sides. */
export const MAX_DEPTH = 64;
/** No encoding may be larger than this. */
export const MAX_SIZE = 64 * 1024 * 1024;

const T_NULL = 0x00;
const T_FALSE = 0x01;
const T_TRUE = 0x02;
const T_INT = 0x03;
const T_FLOAT = 0x04;
const T_STRING = 0x05;
const T_BYTES = 0x06;
const T_ARRAY = 0x07;
const T_OBJECT = 0x08;
const T_FIXINT = 0x80;

/** |n| ≤ 2^52: the zigzag value 2|n| (or 2|n|−1) is still an exact double. */
const ZIGZAG_EXACT = 2 ** 52;
/** Strings shorter than this are copied char by char; longer ones go through encodeInto/decode. */
const SHORT_STRING = 48;
/** The scratch buffer starts this big, and is dropped after a call that grew it beyond KEEP. */
const INITIAL_CAPACITY = 4096;
const KEEP_CAPACITY = 1024 * 1024;

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const hasOwn = Object.prototype.hasOwnProperty;

// ---------------------------------------------------------------------------------------------
// Encoding

let buf = new Uint8Array(INITIAL_CAPACITY);
let view = new DataView(buf.buffer);
let pos = 0;
let rootName = "";
let busy = false;
/** ancestors[d] is the container at depth d on the path being encoded (cycle detection). */
const ancestors: unknown[] = [];
/** pathKeys[d] is the key or index taken inside ancestors[d] (error messages only). */
const pathKeys: (string | number | symbol)[] = [];

/**
 * Encodes `value` into a fresh Uint8Array. `root` names the value in error messages, e.g.
 * "Raft.AppendEntries args". Throws LabgobError for anything that cannot be encoded.
 */
export function encode(value: unknown, root: string): Uint8Array {
  const n = encodeIntoScratch(value, root);
  const out = buf.slice(0, n);
  releaseScratch();
  return out;
}

/** The number of bytes encode(value, root) would return, without copying them out. */
export function encodedSize(value: unknown, root: string): number {
  const n = encodeIntoScratch(value, root);
  releaseScratch();
  return n;
}

function encodeIntoScratch(value: unknown, root: string): number {
  if (busy) {
    // User code runs in the middle of an encode only from a Proxy trap or a getter on an array
    // index (array elements are read by indexing; named accessors are refused, never called).
    throw new LabgobError(`labgob: cannot encode ${root}: encode was called again while encoding ${rootName}`);
  }
  busy = true;
  rootName = root;
  pos = 0;
  try {
    encodeValue(value, 0);
    return pos;
  } catch (e) {
    ancestors.length = 0;
    pathKeys.length = 0;
    releaseScratch();
    throw e;
  } finally {
    busy = false;
  }
}

function releaseScratch(): void {
  if (buf.length > KEEP_CAPACITY) {
    buf = new Uint8Array(INITIAL_CAPACITY);
    view = new DataView(buf.buffer);
  }
}

function ensure(n: number): void {
  if (pos + n > buf.length) grow(n);
}

function grow(n: number): void {
  const need = pos + n;
  if (need > MAX_SIZE) throw tooLarge(rootName, need);
  let cap = buf.length * 2;
  while (cap < need) cap *= 2;
  if (cap > MAX_SIZE) cap = MAX_SIZE;
  const bigger = new Uint8Array(cap);
  bigger.set(buf.subarray(0, pos));
  buf = bigger;
  view = new DataView(buf.buffer);
}

function tooLarge(path: string, need: number): LabgobError {
  return new LabgobError(
    `labgob: cannot encode ${path}: the encoding would be larger than 64 MiB (at least ${need} bytes, limit ${MAX_SIZE})`,
  );
}

/** Writes an unsigned integer 0 ≤ n ≤ 2^53 as a varint. The caller has ensured 8 bytes. */
function writeUvarint(n: number): void {
  while (n > 0xffffffff) {
    buf[pos++] = (n & 0x7f) | 0x80; // & keeps the low 7 bits of any integer below 2^53
    n = Math.floor(n / 128);
  }
  while (n > 0x7f) {
    buf[pos++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  buf[pos++] = n;
}

function uvarintSize(n: number): number {
  let size = 1;
  while (n > 0x7f) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

function encodeValue(v: unknown, depth: number): void {
  switch (typeof v) {
    case "number":
      encodeNumber(v, depth);
      return;
    case "string":
      ensure(1);
      buf[pos++] = T_STRING;
      writeString(v, depth);
      return;
    case "boolean":
      ensure(1);
      buf[pos++] = v ? T_TRUE : T_FALSE;
      return;
    case "object":
      if (v === null) {
        ensure(1);
        buf[pos++] = T_NULL;
      } else {
        encodeObject(v, depth, false);
      }
      return;
    case "undefined":
      throw fail(depth, "undefined");
    case "function":
      throw fail(depth, "function");
    case "symbol":
      throw fail(depth, "symbol");
    case "bigint":
      throw fail(depth, "bigint");
  }
}

function encodeNumber(v: number, depth: number): void {
  // Terms, indexes and most commands: one byte. (v | 0) === v also holds for -0, a float here.
  if ((v & 0x7f) === v && (v !== 0 || 1 / v > 0)) {
    ensure(1);
    buf[pos++] = T_FIXINT | v;
    return;
  }
  if (Number.isSafeInteger(v) && !(v === 0 && 1 / v < 0)) {
    if (v >= 0 && v < 128) {
      ensure(1);
      buf[pos++] = T_FIXINT | v;
      return;
    }
    ensure(9);
    buf[pos++] = T_INT;
    if (v >= -ZIGZAG_EXACT && v <= ZIGZAG_EXACT) {
      writeUvarint(v >= 0 ? v * 2 : -v * 2 - 1);
    } else {
      // 2^52 < |v| < 2^53: 2|v|-1 is not an exact double, so split off the low 6 bits first.
      // zigzag = 2|v| - s = 128*rest + (2*low - s), with a borrow when that is -1.
      const neg = v < 0 ? 1 : 0;
      const m = neg ? -v : v;
      const low = m % 64;
      let rest = (m - low) / 64;
      let first = 2 * low - neg;
      if (first < 0) {
        first = 127;
        rest -= 1;
      }
      buf[pos++] = first | 0x80; // rest ≥ 2^46 here, so more bytes follow
      writeUvarint(rest);
    }
    return;
  }
  if (!Number.isFinite(v)) throw fail(depth, `non-finite number ${v}`);
  ensure(9);
  buf[pos++] = T_FLOAT;
  view.setFloat64(pos, v, true);
  pos += 8;
}

/** Writes a varint byte length and the UTF-8 bytes of s (no tag); also used for object keys. */
function writeString(s: string, depth: number): void {
  const n = s.length;
  const start = pos;
  // Fast path: assume ASCII, where the byte length is the string length.
  const prefix = n < 0x80 ? 1 : uvarintSize(n);
  if (pos + prefix + n > MAX_SIZE) throw tooLarge(pathOf(depth), pos + prefix + n);
  ensure(prefix + n);
  writeUvarint(n);
  if (n < SHORT_STRING) {
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        pos = start;
        writeNonAscii(s, depth);
        return;
      }
      buf[pos + i] = c;
    }
  } else {
    // Every non-ASCII code unit needs two or more bytes, so the string fits in n bytes only
    // if it is all ASCII.
    const r = utf8Encoder.encodeInto(s, buf.subarray(pos, pos + n));
    if (r.read !== n || r.written !== n) {
      pos = start;
      writeNonAscii(s, depth);
      return;
    }
  }
  pos += n;
}

function writeNonAscii(s: string, depth: number): void {
  // Measure the UTF-8 length, refusing lone surrogates (TextEncoder would silently replace them
  // with U+FFFD, and the string would not round-trip).
  const n = s.length;
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
      if (c >= 0xdc00 || d < 0xdc00 || d > 0xdfff) {
        const hex = c.toString(16).toUpperCase();
        throw fail(depth, `a string with an unpaired surrogate (U+${hex} at index ${i}), which is not valid Unicode`);
      }
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  const prefix = uvarintSize(bytes);
  if (pos + prefix + bytes > MAX_SIZE) throw tooLarge(pathOf(depth), pos + prefix + bytes);
  ensure(prefix + bytes);
  writeUvarint(bytes);
  utf8Encoder.encodeInto(s, buf.subarray(pos, pos + bytes));
  pos += bytes;
}

function encodeObject(v: object, depth: number, element: boolean): void {
  const proto = Object.getPrototypeOf(v);
  if (proto === Uint8Array.prototype) {
    encodeBytes(v as Uint8Array, depth);
    return;
  }
  const isArray = proto === Array.prototype && Array.isArray(v);
  if (!isArray && proto !== Object.prototype && proto !== null) throw fail(depth, describeInstance(v, proto));
  if (depth >= MAX_DEPTH) throw fail(depth, `nesting deeper than ${MAX_DEPTH} levels`);
  for (let d = 0; d < depth; d++) {
    if (ancestors[d] === v) throw fail(depth, "a cycle (this object contains itself)");
  }
  ancestors[depth] = v;
  if (isArray) encodeArray(v as unknown[], depth);
  else encodePlainObject(v, depth, element);
  ancestors[depth] = null;
}

function encodeBytes(v: Uint8Array, depth: number): void {
  const n = v.length;
  const size = 1 + uvarintSize(n) + n;
  if (pos + size > MAX_SIZE) throw tooLarge(pathOf(depth), pos + size);
  ensure(size);
  buf[pos++] = T_BYTES;
  writeUvarint(n);
  buf.set(v, pos);
  pos += n;
}

/** Arrays longer than this are not checked for named members (see encodeArray). */
export const NAMED_MEMBER_CHECK_LIMIT = 256;

function encodeArray(a: unknown[], depth: number): void {
  const n = a.length;
  ensure(9);
  buf[pos++] = T_ARRAY;
  writeUvarint(n);
  const first = n >= MEMO_MIN_LENGTH ? a[0] : undefined;
  if (typeof first === "object" && first !== null) encodeMemoizedElements(a, first, depth);
  else encodeElements(a, 0, n, depth);
  // An array carries nothing but its elements: a named member would otherwise vanish (C5).
  // Own names are the n indexes plus "length" exactly when there are no holes (checked above)
  // and no other members. Listing the names allocates a string per index, which made this
  // check dominate the encoding of long logs; past NAMED_MEMBER_CHECK_LIMIT elements it is
  // skipped (a deliberate, documented gap: named members on long arrays are not detected).
  if (n <= NAMED_MEMBER_CHECK_LIMIT && (Object.getOwnPropertyNames(a).length !== n + 1 || Object.getOwnPropertySymbols(a).length !== 0)) {
    throw extraArrayMember(a, depth);
  }
}

/** Encodes a[from .. to); `remember`: make a Checked for an element checked in full (a memo keeps it). */
function encodeElements(a: unknown[], from: number, to: number, depth: number, remember = false): void {
  const inner = depth + 1;
  for (let i = from; i < to; i++) {
    const x = a[i];
    pathKeys[depth] = i;
    // The common element kinds first, without going through encodeValue's switch.
    if (typeof x === "object" && x !== null) {
      const known = checked.get(x);
      if (known !== undefined && hasKeysOf(x, known.shape.keys)) encodeCheckedElement(x, known, inner);
      else encodeObject(x, inner, remember);
    } else if (typeof x === "number") {
      encodeNumber(x, inner);
    } else if (x === undefined) {
      throw fail(inner, i in a ? "undefined" : "undefined (a hole in the array)");
    } else {
      encodeValue(x, inner);
    }
  }
}

// ---- Array memos: whole-state persists encode the same log again and again.

/** Arrays shorter than this are encoded element by element, without a memo. */
const MEMO_MIN_LENGTH = 32;

/**
 * The last encoding of a long array whose first element is an object (a log: the dummy entry
 * at index 0 stays the same object from persist to persist, even when Raft code rebuilds the
 * array with slice and concat). Found by that first element; trusted for nothing: element i
 * is copied from `bytes` only if it is the same object as elems[i], still has its Shape's keys
 * and still has the member values it had (all primitives). Runs of such elements are copied
 * as one block.
 */
interface ArrayMemo {
  /** The first element, which finds the memo; null for a free slot. */
  first: object | null;
  /** False while the memo is being rewritten (an encode that throws leaves it unusable). */
  valid: boolean;
  /** True while an encode uses it (arrays nest: an inner one must pick another slot). */
  busy: boolean;
  /**
   * False until an array starting with `first` is encoded a second time: the first encode
   * records nothing, so arrays encoded once (fresh copies, a log just decoded) cost what they
   * would without memos.
   */
  primed: boolean;
  length: number;
  elems: unknown[];
  known: (Checked | undefined)[];
  /** ends[i]: where element i's encoding ends in `bytes`; spare is the next encode's ends. */
  ends: Int32Array;
  spare: Int32Array;
  bytes: Uint8Array;
}

/**
 * A few memos, reused in turn: one per peer's log is what matters, and a bounded number keeps
 * memory bounded (a memo found by a log entry would otherwise live as long as the entry).
 * Their arrays are rewritten in place, so that a persist allocates nothing.
 */
const MEMO_SLOTS = 16;
const memoSlots: ArrayMemo[] = Array.from({ length: MEMO_SLOTS }, () => ({
  first: null, valid: false, busy: false, primed: false, length: 0, elems: [], known: [], ends: new Int32Array(0), spare: new Int32Array(0), bytes: new Uint8Array(0),
}));
let memoNext = 0;

/** The memo for arrays starting with `first`, or undefined when that one is in use (nested). */
function memoFor(first: object): ArrayMemo | undefined {
  for (let s = 0; s < MEMO_SLOTS; s++) {
    const memo = memoSlots[s]!;
    if (memo.first === first) return memo.busy ? undefined : memo;
  }
  let memo = memoSlots[memoNext]!;
  for (let tries = 0; memo.busy; tries++) {
    if (tries === MEMO_SLOTS) return undefined; // arrays nested 16 deep, all memoized
    memoNext = (memoNext + 1) % MEMO_SLOTS;
    memo = memoSlots[memoNext]!;
  }
  memoNext = (memoNext + 1) % MEMO_SLOTS;
  memo.first = first;
  memo.primed = false;
  memo.valid = false;
  memo.length = 0;
  return memo;
}

function forgetMemos(): void {
  for (const memo of memoSlots) {
    if (memo.busy) continue;
    memo.first = null;
    memo.valid = false;
    memo.length = 0;
    memo.elems.length = 0;
    memo.known.length = 0;
  }
}

function encodeMemoizedElements(a: unknown[], first: object, depth: number): void {
  const n = a.length;
  const memo = memoFor(first);
  if (memo === undefined || !memo.primed) {
    if (memo !== undefined) memo.primed = true;
    encodeElements(a, 0, n, depth);
    return;
  }
  memo.busy = true;
  try {
    encodeWithMemo(a, memo, depth);
  } finally {
    memo.busy = false;
  }
}

function encodeWithMemo(a: unknown[], memo: ArrayMemo, depth: number): void {
  const n = a.length;
  const base = pos;
  const inner = depth + 1;
  const m = !memo.valid || inner >= MAX_DEPTH ? 0 : Math.min(n, memo.length);
  memo.valid = false;
  if (memo.spare.length < n) memo.spare = new Int32Array(Math.max(n, 2 * memo.spare.length));
  const old = memo.ends;
  const ends = memo.spare;
  const elems = memo.elems;
  const known = memo.known;
  let i = 0;
  while (i < n) {
    // A run of unchanged elements, copied as one block.
    let j = i;
    while (j < m) {
      const x = a[j];
      const k = known[j];
      if (x !== elems[j] || k === undefined || k.values === null || !unchanged(x as object, k)) break;
      if (!k.registered) {
        // Encoded unchanged a second time: a long-lived entry, worth finding from short arrays
        // too (the AppendEntries that carry it). Objects encoded once are never registered.
        checked.set(x as object, k);
        k.registered = true;
      }
      j++;
    }
    if (j > i) {
      const from = i === 0 ? 0 : old[i - 1]!;
      const size = old[j - 1]! - from;
      ensure(size);
      buf.set(memo.bytes.subarray(from, from + size), pos);
      const shift = pos - base - from;
      for (let e = i; e < j; e++) ends[e] = old[e]! + shift;
      pos += size;
      i = j;
      if (i === n) break;
    }
    // One element that changed (or is not memoized): encoded afresh. A Checked is made for it
    // only when it is here for the second time (a long-lived entry): objects encoded in one
    // long array once (a log just decoded, say) cost no more than before memos existed.
    const x = a[i];
    encodeElements(a, i, i + 1, depth, i < m && x === elems[i]);
    elems[i] = x;
    known[i] = lastCheckedOf === x ? lastChecked : undefined;
    ends[i] = pos - base;
    i++;
  }
  const size = pos - base;
  if (memo.bytes.length < size) memo.bytes = new Uint8Array(Math.max(size, 2 * memo.bytes.length));
  memo.bytes.set(buf.subarray(base, pos));
  memo.ends = ends;
  memo.spare = old;
  elems.length = n;
  known.length = n;
  memo.length = n;
  memo.valid = true;
}

function extraArrayMember(a: unknown[], depth: number): LabgobError {
  for (const k of Reflect.ownKeys(a)) {
    if (typeof k === "symbol") {
      pathKeys[depth] = k;
      return fail(depth + 1, "a symbol-keyed member");
    }
    if (k !== "length" && !isArrayIndex(k, a.length)) {
      pathKeys[depth] = k;
      return fail(depth + 1, "a named member of an array (only elements are encoded)");
    }
  }
  return fail(depth, "an array with unexpected members"); // not reached
}

function isArrayIndex(k: string, length: number): boolean {
  const i = Number(k);
  return Number.isInteger(i) && i >= 0 && i < length && String(i) === k;
}

// ---- Shapes: the key lists of plain objects, each with its keys' encodings made once.

/** A plain object's own keys in order, and how they encode (varint byte length + UTF-8). */
interface Shape {
  readonly keys: readonly string[];
  /** The encodings of all keys, back to back; key i is keyBytes[keyStart[i] .. keyStart[i + 1]). */
  readonly keyBytes: Uint8Array;
  readonly keyStart: Int32Array;
  /** Whether an object of this shape still has the given member values (see Checked). */
  readonly sameValues: (o: object, values: unknown[]) => boolean;
  /** keys.length nulls, copied for each Checked's values. */
  readonly noValues: unknown[];
}

/** Shapes by their first key (most objects of one program share a handful of shapes). */
const shapesByFirstKey = new Map<string, Shape[]>();
let shapeCount = 0;
/** Beyond this many distinct shapes the cache starts over (a program generating keys). */
const MAX_SHAPES = 4096;
/**
 * Objects met as array elements (log entries) that passed the full check, with their Shape.
 * An entry is encoded again on every persist and in every AppendEntries that carries it; the
 * full check (symbol keys, accessors, non-enumerable members) costs several times the encoding.
 * Only entries seen unchanged in a memo are put here (a WeakMap insertion costs more than the
 * check itself, so objects encoded once, as most RPC arguments are, never are).
 * Later encodes compare the object's enumerable keys with the Shape, which catches added,
 * removed and hidden (made non-enumerable) members. Not caught: a member redefined as an
 * accessor, a symbol key added, or the prototype replaced, after the object's first encode
 * (documented in docs/DEVIATIONS.md).
 */
let checked = new WeakMap<object, Checked>();

/**
 * What `checked` remembers of an element: its Shape and, when every member is a primitive
 * (a log entry with an integer or string command), the member values and the bytes they
 * encoded to the last time. Whole-state persists re-encode the same entries thousands of times;
 * an entry whose values are unchanged (===, and the same sign for zeros) is copied as bytes.
 */
class Checked {
  /** In `checked`: only once the entry has been seen unchanged in a memo (see encodeWithMemo). */
  registered = false;
  constructor(
    readonly shape: Shape,
    public values: unknown[] | null = null,
  ) {}
}

/** The Checked of the element last checked in full or re-encoded, and that element. */
let lastChecked: Checked | undefined;
let lastCheckedOf: object | undefined;

/**
 * Compiled for one Shape: whether o's members are still `values` (===, and zeros of the same
 * sign). Each member is read by its own name at its own site, which sees the few hidden
 * classes log entries have (Raft code's literal, decode's); a member holding a double is then
 * compared where it lies. (A read through a computed key, or inside a for-in walk, copies the
 * double into a new heap number on every read: the garbage of a whole-state persist.)
 */
function compileSameValues(keys: readonly string[]): (o: object, values: unknown[]) => boolean {
  const tests = keys.map((k, i) => `(x = o[${JSON.stringify(k)}]) === v[${i}] && (x !== 0 || 1 / x === 1 / v[${i}])`);
  return new Function("o", "v", `let x; return ${tests.length === 0 ? "true" : tests.join(" && ")};`) as (o: object, values: unknown[]) => boolean;
}

/** Whether o's enumerable keys and member values are still those of its last encode. */
function unchanged(o: object, known: Checked): boolean {
  return hasKeysOf(o, known.shape.keys) && known.shape.sameValues(o, known.values!);
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  const n = a.length;
  if (n !== b.length) return false;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The Shape of `keys` (which the caller has checked are o's own data members). */
function shapeOf(keys: string[], depth: number): Shape {
  if (lastShapeOf !== undefined && sameKeys(lastShapeOf.keys, keys)) return lastShapeOf;
  lastShapeOf = shapeLookup(keys, depth);
  return lastShapeOf;
}

/** The Shape shapeOf returned last (runs of same-key objects skip the map). */
let lastShapeOf: Shape | undefined;

function shapeLookup(keys: string[], depth: number): Shape {
  const first = keys.length === 0 ? "" : keys[0]!;
  let list = shapesByFirstKey.get(first);
  if (list !== undefined) {
    for (let i = 0; i < list.length; i++) if (sameKeys(list[i]!.keys, keys)) return list[i]!;
  }
  const shape = makeShape(keys, depth);
  if (++shapeCount > MAX_SHAPES) {
    shapesByFirstKey.clear();
    shapeCount = 1;
    checked = new WeakMap();
    forgetMemos();
    list = undefined;
  }
  if (list === undefined) shapesByFirstKey.set(first, [shape]);
  else list.push(shape);
  return shape;
}

function makeShape(keys: string[], depth: number): Shape {
  // Encode the keys through writeString (at the end of the scratch buffer, then rewound),
  // so that a key that is not valid Unicode fails exactly as it always did.
  const n = keys.length;
  const keyStart = new Int32Array(n + 1);
  const at = pos;
  for (let i = 0; i < n; i++) {
    pathKeys[depth] = keys[i]!;
    keyStart[i] = pos - at;
    writeString(keys[i]!, depth + 1);
  }
  keyStart[n] = pos - at;
  const keyBytes = buf.slice(at, pos);
  pos = at;
  const noValues: unknown[] = [null];
  for (let i = 1; i < n; i++) noValues.push(null);
  noValues.length = n;
  return { keys: keys.slice(), keyBytes, keyStart, sameValues: compileSameValues(keys), noValues };
}

/** The full check of a plain object's members; returns its Shape. Calls no getter. */
function checkPlainObject(o: object, depth: number): Shape {
  const symbols = Object.getOwnPropertySymbols(o);
  if (symbols.length !== 0) {
    pathKeys[depth] = symbols[0]!;
    throw fail(depth + 1, "a symbol-keyed member");
  }
  // getOwnPropertyNames lists every string key, enumerable or not, in property order; the
  // descriptor tells data from accessor without running a getter. Once all are enumerable data
  // members, they are the keys.
  const keys = Object.getOwnPropertyNames(o);
  const all = keys;
  for (let i = 0; i < all.length; i++) {
    const k = all[i]!;
    const d = Reflect.getOwnPropertyDescriptor(o, k)!;
    if (d.get !== undefined || d.set !== undefined) {
      pathKeys[depth] = k;
      throw fail(depth + 1, "an accessor property");
    }
    if (!d.enumerable) {
      pathKeys[depth] = k;
      throw fail(depth + 1, "a non-enumerable property");
    }
  }
  return shapeOf(keys, depth);
}

/**
 * Whether o's enumerable string keys are exactly `keys`, in order. A for-in walk allocates
 * nothing (Object.keys would allocate an array per object); an inherited enumerable member
 * (someone extended Object.prototype) only makes this answer false, and the full check runs.
 */
function hasKeysOf(o: object, keys: readonly string[]): boolean {
  let i = 0;
  for (const k in o) {
    if (keys[i] !== k) return false;
    i++;
  }
  return i === keys.length;
}

/** An array element already checked in full, whose keys are still its Shape's. */
function encodeCheckedElement(o: object, known: Checked, depth: number): void {
  if (depth >= MAX_DEPTH) throw fail(depth, `nesting deeper than ${MAX_DEPTH} levels`);
  for (let d = 0; d < depth; d++) {
    if (ancestors[d] === o) throw fail(depth, "a cycle (this object contains itself)");
  }
  ancestors[depth] = o;
  writeElement(o, known, depth);
  ancestors[depth] = null;
  lastChecked = known;
  lastCheckedOf = o;
}

function encodePlainObject(o: object, depth: number, element: boolean): void {
  const shape = checkPlainObject(o, depth);
  if (element) {
    const known = new Checked(shape);
    writeElement(o, known, depth);
    lastChecked = known;
    lastCheckedOf = o;
  } else {
    writeMembers(o, shape, depth);
  }
}

/** Writes an element's members and remembers their values if they are all primitives. */
function writeElement(o: object, known: Checked, depth: number): void {
  writeMembers(o, known.shape, depth);
  const keys = known.shape.keys;
  const rec = o as Record<string, unknown>;
  // A copy of the Shape's array of nulls: of the exact length, and an array of any values from
  // the start (never one of only small integers or only doubles), so that every `values` array
  // has the same elements kind and reading it stays one fast path.
  const values = known.shape.noValues.slice();
  for (let i = 0; i < keys.length; i++) {
    const v = rec[keys[i]!];
    if (typeof v === "object" && v !== null) {
      known.values = null;
      return;
    }
    values[i] = v;
  }
  known.values = values;
}

function writeMembers(o: object, shape: Shape, depth: number): void {
  const keys = shape.keys;
  const n = keys.length;
  const kb = shape.keyBytes;
  const ks = shape.keyStart;
  ensure(9);
  buf[pos++] = T_OBJECT;
  writeUvarint(n);
  const inner = depth + 1;
  const rec = o as Record<string, unknown>;
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    pathKeys[depth] = k;
    const from = ks[i]!;
    const to = ks[i + 1]!;
    ensure(to - from);
    for (let j = from; j < to; j++) buf[pos++] = kb[j]!;
    const x = rec[k];
    if (typeof x === "number") encodeNumber(x, inner);
    else encodeValue(x, inner);
  }
}

/** What a non-plain object is, for an error message: "a Map", "an instance of class Foo"... */
function describeInstance(v: object, proto: object): string {
  let ctor: unknown;
  try {
    ctor = Reflect.getOwnPropertyDescriptor(proto, "constructor")?.value;
  } catch {
    ctor = undefined;
  }
  if (typeof ctor === "function") {
    const name = ctor.name;
    if (typeof name === "string" && name !== "") {
      if ((globalThis as Record<string, unknown>)[name] === ctor) return article(name); // a built-in
      if (Array.isArray(v)) return `an instance of class ${name} (an Array subclass)`;
      return `an instance of class ${name}`;
    }
    return "an instance of an anonymous class";
  }
  return "an object with a non-plain prototype";
}

function article(name: string): string {
  return (/^[AEIO]/.test(name) ? "an " : "a ") + name; // "a Uint8ClampedArray", "a URL"
}

function fail(depth: number, what: string): LabgobError {
  return new LabgobError(`labgob: cannot encode ${pathOf(depth)}: ${what}`);
}

/** root + one step per level: `.Field`, `[3]`, `["odd key"]` or `[Symbol(x)]`. */
function pathOf(depth: number): string {
  let p = rootName;
  for (let d = 0; d < depth; d++) {
    const k = pathKeys[d]!;
    if (typeof k === "number") p += `[${k}]`;
    else if (typeof k === "symbol") p += `[${String(k)}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k)) p += `.${k}`;
    else p += `[${JSON.stringify(k)}]`;
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// Decoding

const EMPTY = new Uint8Array(0);
let input: Uint8Array = EMPTY;
const EMPTY_VIEW = new DataView(EMPTY.buffer);
let inputView: DataView = EMPTY_VIEW;
let ipos = 0;
let iend = 0;
const f64 = new DataView(new ArrayBuffer(8));
const f64Bytes = new Uint8Array(f64.buffer);

/**
 * Decodes bytes made by encode into fresh plain values: objects, arrays and Uint8Arrays are new
 * and never share memory with `bytes`. Throws LabgobError on malformed or truncated input.
 */
export function decode(bytes: Uint8Array): unknown {
  return reading(bytes, () => {
    if (iend === 0) throw bad("empty input");
    const v = decodeValue(0);
    if (ipos !== iend) throw bad(`${iend - ipos} unexpected bytes after the value`);
    return v;
  });
}

/**
 * Decodes values written back to back (each by its own `encode`) into an array, e.g. a log
 * kept as the concatenation of its entries' encodings.
 */
export function decodeSequence(bytes: Uint8Array): unknown[] {
  return reading(bytes, () => {
    const out: unknown[] = [];
    while (ipos < iend) out.push(decodeValue(0));
    return out;
  });
}

/** Points the reader at `bytes` for the duration of `read`. */
function reading<T>(bytes: Uint8Array, read: () => T): T {
  if (!(bytes instanceof Uint8Array)) {
    throw new LabgobError(`labgob: cannot decode input: expected a Uint8Array, got ${typeName(bytes)}`);
  }
  // A plain view, so that slices are plain Uint8Array copies even for a Buffer.
  input = Object.getPrototypeOf(bytes) === Uint8Array.prototype
    ? bytes
    : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  inputView = new DataView(input.buffer, input.byteOffset, input.byteLength);
  ipos = 0;
  iend = input.length;
  try {
    return read();
  } finally {
    input = EMPTY;
    inputView = EMPTY_VIEW;
    if (valuesHigh !== 0) {
      values.fill(undefined, 0, valuesHigh);
      valuesHigh = 0;
    }
    valuesTop = 0;
  }
}

function bad(reason: string): LabgobError {
  return new LabgobError(`labgob: cannot decode input at byte ${ipos} of ${iend}: ${reason}`);
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (typeof v !== "object") return typeof v;
  const ctor = (Object.getPrototypeOf(v) as { constructor?: { name?: string } } | null)?.constructor;
  return ctor?.name ? article(ctor.name) : "an object";
}

/** A varint of at most maxBytes bytes, as a number (exact: maxBytes ≤ 7 keeps it below 2^49). */
function readUvarint(maxBytes: number): number {
  let result = 0;
  let mul = 1;
  for (let i = 0; ; i++) {
    if (ipos >= iend) throw bad("unexpected end of input");
    const b = input[ipos++]!;
    result += (b & 0x7f) * mul;
    if (b < 0x80) return result;
    if (i + 1 >= maxBytes) throw bad("varint too long");
    mul *= 128;
  }
}

/** A length or count, checked against what the rest of the input could possibly hold. */
function readLength(what: string, perItem: number): number {
  const b = ipos < iend ? input[ipos]! : 0x80;
  let n: number;
  if (b < 0x80) {
    ipos++;
    n = b;
  } else {
    n = readUvarint(5);
  }
  const left = iend - ipos;
  if (n * perItem > left) throw bad(`unexpected end of input (${what} ${n}, ${left} bytes left)`);
  return n;
}

function decodeValue(depth: number): unknown {
  if (ipos >= iend) throw bad("unexpected end of input");
  const tag = input[ipos++]!;
  if (tag >= T_FIXINT) return tag - T_FIXINT;
  switch (tag) {
    case T_NULL:
      return null;
    case T_FALSE:
      return false;
    case T_TRUE:
      return true;
    case T_INT:
      return readInt();
    case T_FLOAT:
      return readFloat();
    case T_STRING:
      return readString();
    case T_BYTES: {
      const n = readLength("byte length", 1);
      const out = input.slice(ipos, ipos + n);
      ipos += n;
      return out;
    }
    case T_ARRAY: {
      if (depth >= MAX_DEPTH) throw bad(`nesting deeper than ${MAX_DEPTH} levels`);
      const n = readLength("element count", 1);
      const a: unknown[] = [];
      // Elements of one array tend to share a shape (a log): try the last element's first.
      let last: DecodeShape | undefined;
      for (let i = 0; i < n; i++) {
        if (last !== undefined && depth + 1 < MAX_DEPTH && ipos + 1 < iend && input[ipos] === T_OBJECT && input[ipos + 1] === last.keys.length) {
          const at = ipos;
          ipos += 2;
          const o = last.decode !== undefined ? last.decode(input, iend, depth + 2) : decodeShaped(last, depth + 1);
          if (o !== undefined) {
            a.push(o);
            continue;
          }
          ipos = at;
        }
        a.push(decodeValue(depth + 1));
        last = lastShape;
      }
      return a;
    }
    case T_OBJECT: {
      if (depth >= MAX_DEPTH) throw bad(`nesting deeper than ${MAX_DEPTH} levels`);
      const n = readLength("member count", 2);
      if (n !== 0 && n <= MAX_SHAPE_KEYS) {
        const shape = knownShape(n);
        if (shape !== undefined) {
          const o = decodeShaped(shape, depth);
          if (o !== undefined) {
            lastShape = shape;
            return o;
          }
        }
      }
      lastShape = undefined;
      return decodeObject(n, depth);
    }
    default:
      ipos--;
      throw bad(`unknown tag 0x${tag.toString(16).padStart(2, "0")}`);
  }
}

/** An object decoded key by key; a key list met for the first time becomes a DecodeShape. */
function decodeObject(n: number, depth: number): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const shaped = n <= MAX_SHAPE_KEYS;
  const keys: string[] = [];
  const raw: number[] = []; // where each key's encoding starts and ends
  for (let i = 0; i < n; i++) {
    const from = ipos;
    const k = readString();
    if (hasOwn.call(o, k)) throw bad(`duplicate key ${JSON.stringify(k)}`);
    if (shaped) {
      keys.push(k);
      raw.push(from, ipos);
    }
    const x = decodeValue(depth + 1);
    setMember(o, k, x);
  }
  if (shaped && n !== 0) rememberShape(keys, raw);
  return o;
}

function setMember(o: Record<string, unknown>, k: string, x: unknown): void {
  if (k === "__proto__") Object.defineProperty(o, k, { value: x, enumerable: true, writable: true, configurable: true });
  else o[k] = x;
}

// ---- Shapes on the decoding side: key lists recognised by their bytes.

/** Objects with more members than this are always decoded key by key. */
const MAX_SHAPE_KEYS = 32;
/** A Shape builds its objects with a compiled object literal once it has been met this often. */
const COMPILE_AFTER = 16;
const DECODE_SHAPES = 256;

interface DecodeShape {
  readonly keys: readonly string[];
  /** The keys' encodings as they appear in the input, back to back. */
  readonly keyBytes: Uint8Array;
  readonly keyStart: Int32Array;
  readonly keyView: DataView;
  hits: number;
  /** Decodes an object of this shape at ipos, once compiled (see compileShapeDecoder). */
  decode: CompiledDecoder | undefined;
}

/**
 * A shape's decoder: checks each key's bytes at the reading position and decodes its value, and
 * returns the object, or undefined as soon as a key differs (the caller then rewinds).
 */
type CompiledDecoder = (bytes: Uint8Array, end: number, depth: number) => Record<string, unknown> | undefined;

/** Direct-mapped by a hash of the member count and the first key's bytes. */
const decodeShapes: (DecodeShape | undefined)[] = new Array<DecodeShape | undefined>(DECODE_SHAPES).fill(undefined);
/**
 * Values of the objects being decoded, a frame per object (nested objects stack above). Slots
 * up to valuesHigh are cleared when a decode ends, so that nothing decoded stays reachable.
 */
const values: unknown[] = [];
let valuesTop = 0;
let valuesHigh = 0;
/** The shape of the object decodeValue just returned, if it had one (see T_ARRAY). */
let lastShape: DecodeShape | undefined;

function shapeHash(n: number, bytes: Uint8Array, from: number, to: number): number {
  let h = n;
  for (let i = from; i < to; i++) h = (Math.imul(h, 31) + bytes[i]!) | 0;
  return h & (DECODE_SHAPES - 1);
}

/** The DecodeShape the object starting at ipos might have (checked key by key afterwards). */
function knownShape(n: number): DecodeShape | undefined {
  if (ipos >= iend) return undefined;
  const len = input[ipos]!;
  if (len >= 0x80 || ipos + 1 + len > iend) return undefined;
  const shape = decodeShapes[shapeHash(n, input, ipos, ipos + 1 + len)];
  return shape !== undefined && shape.keys.length === n ? shape : undefined;
}

/**
 * Decodes the members of an object of this shape, or returns undefined (with ipos back at the
 * first member) as soon as a key differs: the caller then decodes it key by key.
 */
function decodeShaped(shape: DecodeShape, depth: number): Record<string, unknown> | undefined {
  const start = ipos;
  if (shape.decode !== undefined) {
    const o = shape.decode(input, iend, depth + 1);
    if (o === undefined) ipos = start;
    return o;
  }
  const n = shape.keys.length;
  const kb = shape.keyBytes;
  const kv = shape.keyView;
  const ks = shape.keyStart;
  const base = valuesTop;
  valuesTop += n;
  if (valuesTop > valuesHigh) valuesHigh = valuesTop;
  for (let i = 0; i < n; i++) {
    const from = ks[i]!;
    const to = ks[i + 1]!;
    const bytes = input;
    let at = ipos;
    if (at + (to - from) > iend) return notThisShape(base, start);
    // Four bytes at a time, then the rest one by one.
    let j = from;
    for (; j + 4 <= to; j += 4, at += 4) {
      if (inputView.getUint32(at) !== kv.getUint32(j)) return notThisShape(base, start);
    }
    for (; j < to; j++) {
      if (bytes[at++] !== kb[j]) return notThisShape(base, start);
    }
    ipos = at;
    values[base + i] = decodeMember(depth + 1);
  }
  const o: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) setMember(o, shape.keys[i]!, values[base + i]);
  if (++shape.hits === COMPILE_AFTER) shape.decode = compileShapeDecoder(shape);
  valuesTop = base;
  return o;
}

/** A member's value: the tags Raft's objects hold most (small and other integers, strings) first. */
function decodeMember(depth: number): unknown {
  const tag = ipos < iend ? input[ipos]! : T_NULL;
  if (tag >= T_FIXINT) {
    ipos++;
    return tag - T_FIXINT;
  }
  if (tag === T_INT) {
    ipos++;
    return readInt();
  }
  if (tag === T_STRING) {
    ipos++;
    return readString();
  }
  return decodeValue(depth);
}

function notThisShape(base: number, start: number): undefined {
  valuesTop = base;
  ipos = start;
  return undefined;
}

function rememberShape(keys: string[], raw: number[]): void {
  const n = keys.length;
  const keyStart = new Int32Array(n + 1);
  let size = 0;
  for (let i = 0; i < n; i++) {
    keyStart[i] = size;
    size += raw[2 * i + 1]! - raw[2 * i]!;
  }
  keyStart[n] = size;
  const keyBytes = new Uint8Array(size);
  for (let i = 0; i < n; i++) keyBytes.set(input.subarray(raw[2 * i]!, raw[2 * i + 1]!), keyStart[i]!);
  if (keyBytes[0]! >= 0x80) return; // a first key of 128 bytes or more: never looked up
  decodeShapes[shapeHash(n, keyBytes, 0, keyStart[1]!)] = { keys, keyBytes, keyStart, keyView: new DataView(keyBytes.buffer), hits: 0, decode: undefined };
}

/** Shapes whose keys take more bytes than this keep the generic decoder (the code is unrolled). */
const MAX_COMPILED_KEY_BYTES = 256;
/** The reading position, for compiled decoders (which cannot see this module's variables). */
const readAt = (): number => ipos;
const seek = (p: number): void => {
  ipos = p;
};

/**
 * A decoder for one shape: each key's bytes compared as constants, each value read by
 * decodeMember, and the object made by an object literal with the keys in their order, so that
 * every object of the shape gets one hidden class with its members in-object, as if Raft code
 * had written the literal itself. Keys are written as JSON string literals (valid JavaScript),
 * "__proto__" as a computed key so that it stays an own member instead of setting the
 * prototype. Only key bytes (numbers) and JSON-quoted keys reach the generated source.
 */
function compileShapeDecoder(shape: DecodeShape): CompiledDecoder | undefined {
  const n = shape.keys.length;
  if (shape.keyBytes.length > MAX_COMPILED_KEY_BYTES) return undefined;
  const body: string[] = ["let p = at();"];
  for (let i = 0; i < n; i++) {
    const from = shape.keyStart[i]!;
    const len = shape.keyStart[i + 1]! - from;
    const same = Array.from({ length: len }, (_, j) => ` || b[p + ${j}] !== ${shape.keyBytes[from + j]!}`).join("");
    body.push(`if (p + ${len} > end${same}) return undefined;`, `seek(p + ${len});`, `const v${i} = member(depth);`);
    if (i + 1 < n) body.push("p = at();");
  }
  const members = shape.keys.map((k, i) => `${k === "__proto__" ? '["__proto__"]' : JSON.stringify(k)}: v${i}`);
  body.push(`return { ${members.join(", ")} };`);
  const factory = new Function("at", "seek", "member", `return function (b, end, depth) {\n${body.join("\n")}\n};`) as (
    at: () => number,
    seek: (p: number) => void,
    member: (depth: number) => unknown,
  ) => CompiledDecoder;
  return factory(readAt, seek, decodeMember);
}

function readInt(): number {
  if (ipos >= iend) throw bad("unexpected end of input");
  const b0 = input[ipos++]!;
  // zigzag = 128*rest + low7; the magnitude is (zigzag + sign) / 2, computed without forming
  // zigzag, which may not be an exact double.
  const rest = b0 < 0x80 ? 0 : readUvarint(7);
  const sign = b0 & 1;
  const m = rest * 64 + (((b0 & 0x7f) + sign) >> 1);
  if (m > Number.MAX_SAFE_INTEGER) throw bad("integer outside the safe range");
  return sign ? -m : m;
}

function readFloat(): number {
  if (iend - ipos < 8) throw bad("unexpected end of input");
  for (let i = 0; i < 8; i++) f64Bytes[i] = input[ipos + i]!;
  ipos += 8;
  const v = f64.getFloat64(0, true);
  if (!Number.isFinite(v)) throw bad(`non-finite number ${v}`);
  return v;
}

function readString(): string {
  const n = readLength("string length", 1);
  const start = ipos;
  if (n >= SHORT_STRING) return readUtf8(start, n);
  // Short strings are built directly when they are ASCII. (Object keys, the strings decoded
  // over and over, come from their DecodeShape and are not decoded at all.)
  const bytes = input;
  for (let i = start; i < start + n; i++) {
    if (bytes[i]! >= 0x80) return readUtf8(start, n);
  }
  ipos = start + n;
  return asciiString(bytes, start, n);
}

/** The string of n ASCII bytes at bytes[start]: one fromCharCode call, not a concatenation per character. */
function asciiString(bytes: Uint8Array, start: number, n: number): string {
  switch (n) {
    case 0:
      return "";
    case 1:
      return String.fromCharCode(bytes[start]!);
    case 2:
      return String.fromCharCode(bytes[start]!, bytes[start + 1]!);
    case 3:
      return String.fromCharCode(bytes[start]!, bytes[start + 1]!, bytes[start + 2]!);
    case 4:
      return String.fromCharCode(bytes[start]!, bytes[start + 1]!, bytes[start + 2]!, bytes[start + 3]!);
    case 5:
      return String.fromCharCode(bytes[start]!, bytes[start + 1]!, bytes[start + 2]!, bytes[start + 3]!, bytes[start + 4]!);
    case 6:
      return String.fromCharCode(bytes[start]!, bytes[start + 1]!, bytes[start + 2]!, bytes[start + 3]!, bytes[start + 4]!, bytes[start + 5]!);
    case 7:
      return String.fromCharCode(bytes[start]!, bytes[start + 1]!, bytes[start + 2]!, bytes[start + 3]!, bytes[start + 4]!, bytes[start + 5]!, bytes[start + 6]!);
    case 8:
      return String.fromCharCode(bytes[start]!, bytes[start + 1]!, bytes[start + 2]!, bytes[start + 3]!, bytes[start + 4]!, bytes[start + 5]!, bytes[start + 6]!, bytes[start + 7]!);
    default: {
      let s = "";
      for (let i = 0; i < n; i++) s += String.fromCharCode(bytes[start + i]!);
      return s;
    }
  }
}

function readUtf8(start: number, n: number): string {
  let s: string;
  try {
    s = utf8Decoder.decode(input.subarray(start, start + n));
  } catch {
    throw bad("invalid UTF-8 in a string");
  }
  ipos = start + n;
  return s;
}
