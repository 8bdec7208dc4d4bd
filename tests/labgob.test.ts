import { describe, it, expect } from "vitest";
import { decode, decodeSequence, encode, encodedSize, LabgobError, MAX_DEPTH, MAX_SIZE } from "../src/labgob/index.ts";

/** encode then decode, as every RPC and every persist does. */
function roundTrip(v: unknown): unknown {
  return decode(encode(v, "value"));
}

/** The exact message encode throws for v, or a failure if it does not throw a LabgobError. */
function encodeError(v: unknown, root = "args"): string {
  try {
    encode(v, root);
  } catch (e) {
    expect(e).toBeInstanceOf(LabgobError);
    return (e as Error).message;
  }
  throw new Error("encode did not throw");
}

function decodeError(bytes: Uint8Array): string {
  try {
    decode(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(LabgobError);
    return (e as Error).message;
  }
  throw new Error("decode did not throw");
}

/** [[[...null...]]] with `levels` arrays. */
function nested(levels: number): unknown {
  let v: unknown = null;
  for (let i = 0; i < levels; i++) v = [v];
  return v;
}

/** A deterministic generator (no Math.random in tests). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("round trip", () => {
  it("null and booleans", () => {
    for (const v of [null, true, false]) expect(roundTrip(v)).toBe(v);
  });

  it("integers, including the ends of the safe range", () => {
    const ints = [
      0, 1, -1, 63, 64, 127, 128, -128, 255, 4903, 65535, -65536,
      2 ** 31 - 1, -(2 ** 31), 2 ** 32, -(2 ** 32) - 1,
      2 ** 52 - 1, 2 ** 52, -(2 ** 52), 2 ** 52 + 1, -(2 ** 52) - 1, 2 ** 52 + 63, -(2 ** 52) - 64,
      Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER - 1,
    ];
    for (const v of ints) expect(roundTrip(v)).toBe(v);
  });

  it("-0 and other floats, bit-exact", () => {
    const floats = [
      -0, 0.1, -0.5, Math.PI, 1e300, -1e-300, 5e-324, -5e-324,
      Number.MAX_VALUE, -Number.MAX_VALUE, Number.EPSILON, 2 ** 53, -(2 ** 53), 2 ** 63, 1.5,
    ];
    for (const v of floats) {
      const back = roundTrip(v) as number;
      expect(Object.is(back, v)).toBe(true);
      expect(new Float64Array([back])).toEqual(new Float64Array([v]));
    }
    expect(Object.is(roundTrip(-0), -0)).toBe(true);
    expect(Object.is(roundTrip(0), 0)).toBe(true);
  });

  it("strings: ASCII, unicode, surrogate pairs, a leading BOM, NUL, long ones", () => {
    const strings = [
      "", "x", "hello", "héllo", "日本語", "😀", "a😀b", "\uFEFFbom", "nul\u0000byte", "\u007f\u0080\u07ff\u0800\uffff",
      "x".repeat(47), "x".repeat(48), "x".repeat(5000), "é".repeat(100), "ab😀".repeat(1000),
    ];
    for (const s of strings) expect(roundTrip(s)).toBe(s);
  });

  it("Uint8Array, decoded as a plain Uint8Array", () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    for (const b of [new Uint8Array(0), new Uint8Array([7]), all]) {
      const back = roundTrip(b) as Uint8Array;
      expect(Object.getPrototypeOf(back)).toBe(Uint8Array.prototype);
      expect(back).toEqual(b);
    }
    // A view encodes its own window only.
    const view = all.subarray(10, 20);
    expect(roundTrip(view)).toEqual(view);
  });

  it("arrays: empty, nested, with null (the tester's snapshot list)", () => {
    const values = [[], [[]], [null, 1, 2, 3], [null, "x", [1, [2, [3]]], { a: [] }], Array.from({ length: 1000 }, (_, i) => i * 7919)];
    for (const v of values) {
      const back = roundTrip(v);
      expect(back).toEqual(v);
      expect(Array.isArray(back)).toBe(true);
    }
    expect((roundTrip([null, 1, 2]) as unknown[])[0]).toBeNull();
  });

  it("plain objects: empty, nested, key order kept, decoded with Object.prototype", () => {
    const args = {
      Term: 3, LeaderId: 1, PrevLogIndex: 10, PrevLogTerm: 2, LeaderCommit: 9,
      Entries: [{ Term: 2, Command: 101 }, { Term: 3, Command: "x".repeat(100) }, { Term: 3, Command: null }],
    };
    const back = roundTrip(args) as Record<string, unknown>;
    expect(back).toEqual(args);
    expect(Object.keys(back)).toEqual(Object.keys(args));
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(roundTrip({})).toEqual({});
    expect(roundTrip({ z: 1, a: 2, m: 3 })).toEqual({ z: 1, a: 2, m: 3 });
    expect(Object.keys(roundTrip({ z: 1, a: 2, m: 3 }) as object)).toEqual(["z", "a", "m"]);
  });

  it("odd keys: unicode, empty, numeric, and an own __proto__ member", () => {
    const odd = JSON.parse('{"__proto__": {"x": 1}, "": 2, "0": 3, "ключ": 4, "a b": 5}') as Record<string, unknown>;
    const back = roundTrip(odd) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype); // __proto__ stayed an own member
    expect(Object.keys(back)).toEqual(Object.keys(odd));
    expect(Object.getOwnPropertyDescriptor(back, "__proto__")?.value).toEqual({ x: 1 });
    expect(back[""]).toBe(2);
    expect(back["ключ"]).toBe(4);
  });

  it("an object with a null prototype decodes as a plain object", () => {
    const o = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1 });
    const back = roundTrip(o);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(back).toEqual({ a: 1 });
  });

  it("a shared (not cyclic) object is encoded twice and decoded as two copies", () => {
    const shared = { n: 1 };
    const back = roundTrip({ a: shared, b: [shared, shared] }) as { a: object; b: object[] };
    expect(back).toEqual({ a: { n: 1 }, b: [{ n: 1 }, { n: 1 }] });
    expect(back.a).not.toBe(back.b[0]);
  });

  it("random values", () => {
    const rand = lcg(42);
    const gen = (depth: number): unknown => {
      const r = rand();
      if (depth > 4 || r < 0.3) {
        const k = Math.floor(rand() * 6);
        if (k === 0) return null;
        if (k === 1) return rand() < 0.5;
        if (k === 2) return Math.floor((rand() - 0.5) * 2 ** 53);
        if (k === 3) return (rand() - 0.5) * 1e10;
        if (k === 4) return "s".repeat(Math.floor(rand() * 80)) + (rand() < 0.5 ? "ü" : "");
        return Uint8Array.from({ length: Math.floor(rand() * 40) }, () => Math.floor(rand() * 256));
      }
      const n = Math.floor(rand() * 5);
      if (r < 0.65) return Array.from({ length: n }, () => gen(depth + 1));
      const o: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) o[`k${Math.floor(rand() * 10)}`] = gen(depth + 1);
      return o;
    };
    for (let i = 0; i < 300; i++) {
      const v = gen(0);
      expect(roundTrip(v)).toEqual(v);
    }
  });
});

describe("isolation (C1)", () => {
  it("changing the value after encoding does not change what decodes", () => {
    const args = { Term: 1, Entries: [{ Term: 1, Command: 5 }], Data: new Uint8Array([1, 2, 3]) };
    const bytes = encode(args, "args");
    args.Term = 99;
    args.Entries[0]!.Command = 77;
    args.Entries.push({ Term: 2, Command: 6 });
    args.Data[0] = 42;
    expect(decode(bytes)).toEqual({ Term: 1, Entries: [{ Term: 1, Command: 5 }], Data: new Uint8Array([1, 2, 3]) });
  });

  it("each decode returns fresh objects, and a decoded Uint8Array is a copy, not a view", () => {
    const bytes = encode({ Data: new Uint8Array([1, 2, 3]), List: [1] }, "args");
    const a = decode(bytes) as { Data: Uint8Array; List: number[] };
    const b = decode(bytes) as { Data: Uint8Array; List: number[] };
    expect(a).not.toBe(b);
    expect(a.List).not.toBe(b.List);
    expect(a.Data.buffer).not.toBe(bytes.buffer);
    expect(a.Data.buffer).not.toBe(b.Data.buffer);
    expect(a.Data.byteLength).toBe(a.Data.buffer.byteLength);
    a.Data[0] = 9;
    bytes.fill(0);
    expect(b.Data).toEqual(new Uint8Array([1, 2, 3]));
  });

  it("encoded bytes do not share the encoder's scratch buffer", () => {
    const first = encode({ Term: 1 }, "a");
    const copy = first.slice();
    encode({ Term: 2, Other: "x".repeat(10000) }, "b");
    expect(first).toEqual(copy);
    expect(first.byteLength).toBe(first.buffer.byteLength);
  });

  it("decodes from a Buffer or a view, returning plain Uint8Arrays", () => {
    const bytes = encode({ Data: new Uint8Array([5, 6]) }, "args");
    const fromBuffer = decode(Buffer.from(bytes)) as { Data: Uint8Array };
    expect(Object.getPrototypeOf(fromBuffer.Data)).toBe(Uint8Array.prototype);
    expect(fromBuffer.Data).toEqual(new Uint8Array([5, 6]));
    const padded = new Uint8Array(bytes.length + 8);
    padded.set(bytes, 4);
    expect(decode(padded.subarray(4, 4 + bytes.length))).toEqual({ Data: new Uint8Array([5, 6]) });
  });
});

describe("byte cost (C2)", () => {
  it("an ASCII string of n characters costs about n bytes", () => {
    const n = encode("x".repeat(5000), "s").length;
    expect(n).toBeGreaterThanOrEqual(5000);
    expect(n).toBeLessThanOrEqual(5016);
    const args = { Command: "A-_z09".repeat(1000).slice(0, 5000) }; // base64url text, as in the tests
    expect(encode(args, "args").length).toBeLessThan(5100);
  });

  it("a non-ASCII string costs its UTF-8 length", () => {
    expect(encode("é".repeat(1000), "s").length).toBeLessThanOrEqual(2000 + 16);
  });

  it("a Uint8Array of n bytes costs about n bytes", () => {
    const n = encode(new Uint8Array(5000), "b").length;
    expect(n).toBeGreaterThanOrEqual(5000);
    expect(n).toBeLessThanOrEqual(5016);
  });

  it("labrpc's TestBytes analogue: 17 calls with a 288-char string and an int reply ≈ 5000 bytes", () => {
    let args = "x".repeat(72);
    args = args + args;
    args = args + args;
    let total = 0;
    for (let i = 0; i < 17; i++) total += encode(args, "JunkServer.Handler6 args").length + encode(args.length, "reply").length;
    expect(total).toBeGreaterThanOrEqual(4828);
    expect(total).toBeLessThanOrEqual(6000);

    let more = 0; // ... and 17 calls with an int and a 107-char string reply ≈ 2000 bytes
    for (let i = 0; i < 17; i++) more += encode(107, "args").length + encode("y".repeat(107), "reply").length;
    expect(more).toBeGreaterThanOrEqual(1800);
    expect(more).toBeLessThanOrEqual(2500);
  });

  it("Raft message shapes stay small (sizes feed the tester's byte column)", () => {
    const requestVote = { Term: 5, CandidateId: 2, LastLogIndex: 17, LastLogTerm: 4 };
    const appendEntries = { Term: 5, LeaderId: 2, PrevLogIndex: 17, PrevLogTerm: 4, Entries: [] as unknown[], LeaderCommit: 12 };
    const entry = { Term: 1, Command: 123 };
    expect(encode(requestVote, "args").length).toBe(48);
    expect(encode({ Term: 5, VoteGranted: true }, "reply").length).toBe(21);
    expect(encode(appendEntries, "args").length).toBe(69);
    expect(encode(entry, "entry").length).toBe(17);
    const withEntries = { ...appendEntries, Entries: [entry, entry, entry] };
    expect(encode(withEntries, "args").length).toBe(69 + 3 * 17);
    expect(encode({ ...appendEntries, Entries: [{ Term: 1, Command: "x".repeat(5000) }] }, "args").length).toBeLessThan(5100);
  });

  it("encodedSize equals the encoded length", () => {
    for (const v of [null, 1, "abc", { Term: 5, Entries: [{ Term: 1, Command: 2 ** 40 }] }, new Uint8Array(300)]) {
      expect(encodedSize(v, "v")).toBe(encode(v, "v").length);
    }
  });
});

describe("determinism", () => {
  it("the same value always encodes to the same bytes", () => {
    const make = () => ({ Term: 7, Log: [null, { Term: 1, Command: -5 }, { Term: 2, Command: "héllo" }], F: 0.25, B: new Uint8Array([9]) });
    const first = encode(make(), "x");
    encode({ unrelated: "z".repeat(3000) }, "y"); // whatever the scratch buffer held before
    expect(encode(make(), "x")).toEqual(first);
    expect(encode(decode(first), "x")).toEqual(first);
  });

  it("key order is part of the value", () => {
    expect(encode({ a: 1, b: 2 }, "x")).not.toEqual(encode({ b: 2, a: 1 }, "x"));
  });
});

describe("encode errors name the path and what the value is (C4, C5)", () => {
  it("the MIT-style example: a function deep inside AppendEntries args", () => {
    const entries: unknown[] = [0, 1, 2].map((i) => ({ Term: 1, Command: i }));
    entries.push({ Term: 1, Command: () => 0 });
    expect(encodeError({ Term: 1, Entries: entries }, "Raft.AppendEntries args"))
      .toBe("labgob: cannot encode Raft.AppendEntries args.Entries[3].Command: function");
  });

  it("LabgobError is an Error named LabgobError", () => {
    try {
      encode(undefined, "args");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(LabgobError);
      expect(e).toBeInstanceOf(Error);
      expect((e as Error).name).toBe("LabgobError");
    }
  });

  it("primitives it cannot carry", () => {
    expect(encodeError(() => 1)).toBe("labgob: cannot encode args: function");
    expect(encodeError({ f: function named() {} })).toBe("labgob: cannot encode args.f: function");
    expect(encodeError({ s: Symbol("x") })).toBe("labgob: cannot encode args.s: symbol");
    expect(encodeError({ n: 10n })).toBe("labgob: cannot encode args.n: bigint");
    expect(encodeError({ x: NaN })).toBe("labgob: cannot encode args.x: non-finite number NaN");
    expect(encodeError([1, Infinity])).toBe("labgob: cannot encode args[1]: non-finite number Infinity");
    expect(encodeError(-Infinity)).toBe("labgob: cannot encode args: non-finite number -Infinity");
  });

  it("undefined anywhere, including holes", () => {
    expect(encodeError(undefined)).toBe("labgob: cannot encode args: undefined");
    expect(encodeError({ Term: 1, VotedFor: undefined })).toBe("labgob: cannot encode args.VotedFor: undefined");
    expect(encodeError([1, undefined, 3])).toBe("labgob: cannot encode args[1]: undefined");
    // eslint-disable-next-line no-sparse-arrays
    expect(encodeError([1, , 3])).toBe("labgob: cannot encode args[1]: undefined (a hole in the array)");
    expect(encodeError(new Array(3))).toBe("labgob: cannot encode args[0]: undefined (a hole in the array)");
  });

  it("class instances and built-in objects other than Uint8Array", () => {
    class Foo {
      x = 1;
    }
    class LogList extends Array<number> {}
    expect(encodeError({ Entry: new Foo() })).toBe("labgob: cannot encode args.Entry: an instance of class Foo");
    expect(encodeError(new (class {})())).toBe("labgob: cannot encode args: an instance of an anonymous class");
    expect(encodeError(LogList.from([1]))).toBe("labgob: cannot encode args: an instance of class LogList (an Array subclass)");
    expect(encodeError(Object.create({ inherited: 1 }))).toBe("labgob: cannot encode args: an object with a non-plain prototype");
    const builtIns: [unknown, string][] = [
      [new Map(), "a Map"],
      [new Set([1]), "a Set"],
      [new Date(0), "a Date"],
      [/x/, "a RegExp"],
      [Promise.resolve(1), "a Promise"],
      [new Int32Array(2), "an Int32Array"],
      [new Uint8ClampedArray(2), "a Uint8ClampedArray"],
      [new Float64Array(2), "a Float64Array"],
      [new ArrayBuffer(2), "an ArrayBuffer"],
      [new DataView(new ArrayBuffer(2)), "a DataView"],
      [Buffer.from("hi"), "a Buffer"],
      [new Error("boom"), "an Error"],
      [new Number(1), "a Number"],
      [new WeakMap(), "a WeakMap"],
    ];
    for (const [v, what] of builtIns) expect(encodeError({ Snapshot: v })).toBe(`labgob: cannot encode args.Snapshot: ${what}`);
  });

  it("cycles", () => {
    const self: Record<string, unknown> = { Term: 1 };
    self.self = self;
    expect(encodeError(self)).toBe("labgob: cannot encode args.self: a cycle (this object contains itself)");
    const list: unknown[] = [1];
    list.push({ back: list });
    expect(encodeError({ Log: list })).toBe("labgob: cannot encode args.Log[1].back: a cycle (this object contains itself)");
  });

  it("members JSON would drop: symbol keys, accessors, non-enumerable members", () => {
    expect(encodeError({ Term: 1, [Symbol("tag")]: 2 })).toBe("labgob: cannot encode args[Symbol(tag)]: a symbol-keyed member");
    expect(encodeError({ Term: 1, get Derived() { return 2; } })).toBe("labgob: cannot encode args.Derived: an accessor property");
    expect(encodeError(Object.defineProperty({ Term: 1 }, "Setter", { set() {}, enumerable: true })))
      .toBe("labgob: cannot encode args.Setter: an accessor property");
    expect(encodeError(Object.defineProperty({ Term: 1 }, "hidden", { value: 2, enumerable: false })))
      .toBe("labgob: cannot encode args.hidden: a non-enumerable property");
    expect(encodeError(Object.assign([1, 2], { extra: 3 }))).toBe("labgob: cannot encode args.extra: a named member of an array (only elements are encoded)");
    expect(encodeError(Object.assign([1, 2], { [Symbol("s")]: 3 }))).toBe("labgob: cannot encode args[Symbol(s)]: a symbol-keyed member");
  });

  it("a string that is not valid Unicode (it would not round-trip)", () => {
    expect(encodeError({ Command: "ab\ud800" })).toBe(
      "labgob: cannot encode args.Command: a string with an unpaired surrogate (U+D800 at index 2), which is not valid Unicode",
    );
    expect(encodeError({ ["k\udc00"]: 1 })).toBe(
      'labgob: cannot encode args["k\\udc00"]: a string with an unpaired surrogate (U+DC00 at index 1), which is not valid Unicode',
    );
  });

  it("keys that are not identifiers are quoted in the path", () => {
    expect(encodeError({ "a b": { "": undefined } })).toBe('labgob: cannot encode args["a b"][""]: undefined');
  });

  it(`nesting deeper than ${MAX_DEPTH} levels`, () => {
    expect(roundTrip(nested(MAX_DEPTH))).toEqual(nested(MAX_DEPTH));
    expect(encodeError(nested(MAX_DEPTH + 1))).toBe(`labgob: cannot encode args${"[0]".repeat(MAX_DEPTH)}: nesting deeper than 64 levels`);
  });

  it("more than 64 MiB", () => {
    expect(MAX_SIZE).toBe(64 * 1024 * 1024);
    // 7 bytes of object header and key, then a tag, a 4-byte length and the bytes.
    expect(encodeError({ Data: new Uint8Array(MAX_SIZE) })).toBe(
      `labgob: cannot encode args.Data: the encoding would be larger than 64 MiB (at least ${7 + 5 + MAX_SIZE} bytes, limit 67108864)`,
    );
    const half = "x".repeat(MAX_SIZE / 2);
    expect(encodeError(["", half, half])).toMatch(/^labgob: cannot encode args\[2\]: the encoding would be larger than 64 MiB/);
  });

  it("encode called from inside an encode (a Proxy trap) is refused", () => {
    const sneaky = new Proxy({ a: 1 }, {
      ownKeys(target) {
        encode({ inner: 1 }, "inner args");
        return Reflect.ownKeys(target);
      },
    });
    expect(encodeError({ P: sneaky })).toBe("labgob: cannot encode inner args: encode was called again while encoding args");
    expect(roundTrip({ a: 1 })).toEqual({ a: 1 });
  });

  it("an error leaves the encoder usable", () => {
    const self: Record<string, unknown> = {};
    self.me = self;
    encodeError({ a: [self] });
    expect(roundTrip({ a: [1, { b: 2 }] })).toEqual({ a: [1, { b: 2 }] });
  });
});

describe("decode errors", () => {
  const valid = encode({ Term: 5, Log: [null, { Term: 1, Command: "héllo wörld" }, -(2 ** 40), 0.5], Data: new Uint8Array([1, 2, 3]) }, "x");

  it("every truncation of a valid encoding throws a LabgobError", () => {
    for (let n = 0; n < valid.length; n++) {
      expect(() => decode(valid.subarray(0, n))).toThrow(LabgobError);
    }
    expect(decodeError(valid.subarray(0, 3))).toMatch(/^labgob: cannot decode input at byte \d+ of 3: unexpected end of input/);
  });

  it("malformed input names the byte and the reason", () => {
    const bytes = (...b: number[]) => Uint8Array.from(b);
    expect(decodeError(bytes())).toBe("labgob: cannot decode input at byte 0 of 0: empty input");
    expect(decodeError(bytes(0x09))).toBe("labgob: cannot decode input at byte 0 of 1: unknown tag 0x09");
    expect(decodeError(bytes(0x00, 0x00))).toBe("labgob: cannot decode input at byte 1 of 2: 1 unexpected bytes after the value");
    expect(decodeError(bytes(0x05, 0x02, 0xc3, 0x28))).toBe("labgob: cannot decode input at byte 2 of 4: invalid UTF-8 in a string");
    expect(decodeError(bytes(0x05, 0x0a, 0x61))).toBe("labgob: cannot decode input at byte 2 of 3: unexpected end of input (string length 10, 1 bytes left)");
    expect(decodeError(bytes(0x07, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01))).toBe("labgob: cannot decode input at byte 6 of 7: varint too long");
    expect(decodeError(bytes(0x03, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f))).toBe(
      "labgob: cannot decode input at byte 9 of 9: integer outside the safe range",
    );
    expect(decodeError(bytes(0x04, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f))).toBe("labgob: cannot decode input at byte 9 of 9: non-finite number NaN");
    expect(decodeError(bytes(0x08, 0x02, 0x01, 0x61, 0x80, 0x01, 0x61, 0x81))).toBe('labgob: cannot decode input at byte 7 of 8: duplicate key "a"');
    const tooDeep = Uint8Array.from([...Array.from({ length: MAX_DEPTH + 1 }, () => [0x07, 0x01]).flat(), 0x00]); // [[[...null]]]
    expect(decodeError(tooDeep)).toBe("labgob: cannot decode input at byte 129 of 131: nesting deeper than 64 levels");
    expect(decodeError([1, 2] as unknown as Uint8Array)).toBe("labgob: cannot decode input: expected a Uint8Array, got an Array");
  });

  it("random garbage either decodes or throws a LabgobError, never anything else", () => {
    const rand = lcg(7);
    for (let i = 0; i < 2000; i++) {
      const garbage = Uint8Array.from({ length: 1 + Math.floor(rand() * 24) }, () => Math.floor(rand() * 256));
      try {
        decode(garbage);
      } catch (e) {
        expect(e).toBeInstanceOf(LabgobError);
      }
    }
  });

  it("a flipped byte in a valid encoding never escapes as another kind of error", () => {
    for (let i = 0; i < valid.length; i++) {
      for (const flip of [0x01, 0x80, 0xff]) {
        const bad = valid.slice();
        bad[i] ^= flip;
        try {
          decode(bad);
        } catch (e) {
          expect(e).toBeInstanceOf(LabgobError);
        }
      }
    }
  });
});

describe("decodeSequence", () => {
  it("decodes values written back to back, in order", () => {
    const parts = [encode([1, 42], "a"), encode([2, "x".repeat(300)], "b"), encode(null, "c")];
    const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      joined.set(p, at);
      at += p.length;
    }
    expect(decodeSequence(joined)).toEqual([[1, 42], [2, "x".repeat(300)], null]);
    expect(decodeSequence(new Uint8Array(0))).toEqual([]);
  });

  it("rejects a truncated last value", () => {
    const bytes = encode([1, "hello"], "a");
    expect(() => decodeSequence(bytes.subarray(0, bytes.length - 2))).toThrow(LabgobError);
  });
});

describe("what the codec remembers never changes what it writes", () => {
  /** The bytes a value would encode to if the codec had never seen any of its objects. */
  const fresh = (v: unknown): Uint8Array => encode(structuredClone(v), "fresh");
  const log = (n: number): { Term: number; Command: unknown }[] =>
    Array.from({ length: n }, (_, i) => ({ Term: 1 + (i >> 4), Command: i % 3 === 0 ? `c${i}` : i * 7919 }));

  it("a persisted log, encoded again after every kind of change, gives a fresh encoding's bytes", () => {
    const entries: Record<string, unknown>[] = log(100);
    const state = { CurrentTerm: 3, Log: entries };
    const changes: (() => void)[] = [
      () => entries.push({ Term: 9, Command: 1 }),
      () => { entries[50]!.Command = "changed"; },
      () => { entries[10]!.Term = 0; },
      () => { entries[10]!.Term = -0; }, // === 0, but encodes as a float
      () => { entries[11]!.Extra = true; },
      () => { delete entries[12]!.Command; },
      () => { const e = entries[13]!; delete e.Term; e.Term = 4; }, // same keys, other order
      () => { entries[14] = { Term: 1, Command: 2 }; },
      () => entries.splice(20, 5),
      () => { entries[30]!.Command = { nested: [1, 2] }; },
      () => { (entries[30]!.Command as { nested: number[] }).nested.push(3); },
      () => { state.Log = entries.slice(0, 60).concat(log(40)); },
      () => { entries.length = 40; },
    ];
    expect(encode(state, "raft state")).toEqual(fresh(state));
    for (const change of changes) {
      change();
      expect(encode(state, "raft state")).toEqual(fresh(state));
      expect(encode(state, "raft state")).toEqual(fresh(state)); // and once it is remembered
    }
  });

  it("a log of tuples, a log starting with null, and long arrays nested in long arrays", () => {
    const tuples = Array.from({ length: 64 }, (_, i) => [i, `x${i}`]);
    const shared = { Term: 1, Command: 1 };
    const nestedLogs = Array.from({ length: 40 }, () => [shared, ...log(40)]);
    const values = [tuples, [null, ...log(50)], { a: nestedLogs, b: [shared, ...log(33)] }];
    for (let round = 0; round < 3; round++) {
      for (const v of values) expect(encode(v, "v")).toEqual(fresh(v));
      tuples[5]![1] = `y${round}`;
      nestedLogs[3]!.push({ Term: round, Command: round });
      shared.Command = round + 10;
    }
  });

  it("an error inside a remembered array leaves nothing half-remembered", () => {
    const entries: Record<string, unknown>[] = log(64);
    expect(encode(entries, "log")).toEqual(fresh(entries));
    entries[40]!.Command = () => 0;
    expect(() => encode(entries, "log")).toThrow("labgob: cannot encode log[40].Command: function");
    entries[40]!.Command = 5;
    expect(encode(entries, "log")).toEqual(fresh(entries));
  });

  it("an entry whose enumerable keys change is checked in full again (a member hidden, an accessor added)", () => {
    const entries: Record<string, unknown>[] = log(40);
    encode(entries, "log");
    Object.defineProperty(entries[7], "Command", { enumerable: false });
    expect(() => encode(entries, "log")).toThrow("labgob: cannot encode log[7].Command: a non-enumerable property");
    entries[7] = { Term: 1, Command: 1 };
    Object.defineProperty(entries[8], "Derived", { get: () => 1, enumerable: true });
    expect(() => encode(entries, "log")).toThrow("labgob: cannot encode log[8].Derived: an accessor property");
  });

  it("decode recognises shapes by their key bytes, not by their first key only", () => {
    const objects = [
      { Term: 1, Command: 2 }, { Term: 1, Other: 2 }, { Term: 1, Command: 2, More: 3 }, { Term: 1 },
      JSON.parse('{"__proto__": 1, "Term": 2}') as object, { Terms: 1, Command: 2 }, { "Tërm": 1, Command: 2 },
    ];
    for (let round = 0; round < 40; round++) { // past the point where shapes get compiled
      const back = decode(encode(objects, "v")) as object[];
      expect(back).toEqual(objects);
      for (let i = 0; i < objects.length; i++) expect(Object.keys(back[i]!)).toEqual(Object.keys(objects[i]!));
      expect(Object.getPrototypeOf(back[4])).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(back[4], "__proto__")?.value).toBe(1);
    }
  });

  it("a truncated or corrupted object of a known shape still fails as a LabgobError", () => {
    const bytes = encode(log(50), "log");
    decode(bytes);
    decode(bytes);
    for (let n = bytes.length - 40; n < bytes.length; n++) expect(() => decode(bytes.subarray(0, n))).toThrow(LabgobError);
    for (let i = bytes.length - 40; i < bytes.length; i++) {
      const bad = bytes.slice();
      bad[i] ^= 0x5a;
      try {
        decode(bad);
      } catch (e) {
        expect(e).toBeInstanceOf(LabgobError);
      }
    }
  });
});
