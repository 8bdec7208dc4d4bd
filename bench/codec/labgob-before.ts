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
// Speed: this is on the hot path of every RPC, so encode writes into one module-level growable
// buffer (copied out with slice), and neither side allocates closures or goes through JSON.

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
        encodeObject(v, depth);
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

function encodeObject(v: object, depth: number): void {
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
  else encodePlainObject(v, depth);
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
  for (let i = 0; i < n; i++) {
    const x = a[i];
    pathKeys[depth] = i;
    if (x === undefined) {
      throw fail(depth + 1, i in a ? "undefined" : "undefined (a hole in the array)");
    }
    encodeValue(x, depth + 1);
  }
  // An array carries nothing but its elements: a named member would otherwise vanish (C5).
  // Own names are the n indexes plus "length" exactly when there are no holes (checked above)
  // and no other members. Listing the names allocates a string per index, which made this
  // check dominate the encoding of long logs; past NAMED_MEMBER_CHECK_LIMIT elements it is
  // skipped (a deliberate, documented gap: named members on long arrays are not detected).
  if (n <= NAMED_MEMBER_CHECK_LIMIT && (Object.getOwnPropertyNames(a).length !== n + 1 || Object.getOwnPropertySymbols(a).length !== 0)) {
    throw extraArrayMember(a, depth);
  }
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

function encodePlainObject(o: object, depth: number): void {
  // getOwnPropertyNames lists every string key, enumerable or not, in property order; the
  // descriptor tells data from accessor without running a getter. (Reflect.ownKeys would cover
  // symbols too, but costs several times as much as these two calls on the hot path.)
  const symbols = Object.getOwnPropertySymbols(o);
  if (symbols.length !== 0) {
    pathKeys[depth] = symbols[0]!;
    throw fail(depth + 1, "a symbol-keyed member");
  }
  const keys = Object.getOwnPropertyNames(o);
  const n = keys.length;
  ensure(9);
  buf[pos++] = T_OBJECT;
  writeUvarint(n);
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    pathKeys[depth] = k;
    const d = Reflect.getOwnPropertyDescriptor(o, k)!;
    if (d.get !== undefined || d.set !== undefined) throw fail(depth + 1, "an accessor property");
    if (!d.enumerable) throw fail(depth + 1, "a non-enumerable property");
    writeString(k, depth + 1);
    encodeValue(d.value, depth + 1);
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
let ipos = 0;
let iend = 0;
const f64 = new DataView(new ArrayBuffer(8));
const f64Bytes = new Uint8Array(f64.buffer);
const STRING_CACHE_SIZE = 1024;
const stringCache: (string | undefined)[] = new Array<string | undefined>(STRING_CACHE_SIZE).fill(undefined);

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
  ipos = 0;
  iend = input.length;
  try {
    return read();
  } finally {
    input = EMPTY;
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
  const n = readUvarint(5);
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
      for (let i = 0; i < n; i++) a.push(decodeValue(depth + 1));
      return a;
    }
    case T_OBJECT: {
      if (depth >= MAX_DEPTH) throw bad(`nesting deeper than ${MAX_DEPTH} levels`);
      const n = readLength("member count", 2);
      const o: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const k = readString();
        if (hasOwn.call(o, k)) throw bad(`duplicate key ${JSON.stringify(k)}`);
        const x = decodeValue(depth + 1);
        if (k === "__proto__") Object.defineProperty(o, k, { value: x, enumerable: true, writable: true, configurable: true });
        else o[k] = x;
      }
      return o;
    }
    default:
      ipos--;
      throw bad(`unknown tag 0x${tag.toString(16).padStart(2, "0")}`);
  }
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
  // Short ASCII strings (object keys above all) come from a small cache, so a key decoded a
  // million times is built once; a slot is picked by a hash of the bytes and checked in full.
  let h = n;
  for (let i = 0; i < n; i++) {
    const c = input[start + i]!;
    if (c >= 0x80) return readUtf8(start, n);
    h = (Math.imul(h, 31) + c) | 0;
  }
  const slot = h & (STRING_CACHE_SIZE - 1);
  const cached = stringCache[slot];
  ipos = start + n;
  if (cached !== undefined && cached.length === n) {
    let i = 0;
    while (i < n && cached.charCodeAt(i) === input[start + i]) i++;
    if (i === n) return cached;
  }
  let s = "";
  for (let i = 0; i < n; i++) s += String.fromCharCode(input[start + i]!);
  stringCache[slot] = s;
  return s;
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
