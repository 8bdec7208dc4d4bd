// How values appear in failure texts. Two forms:
//   - fmtV: JavaScript as a JavaScript programmer writes it (strings quoted, arrays with
//     commas), for this lab's own messages about what an implementation returned or sent, where
//     the type is the point: `Start() returned ["-1", 0, false]` shows a string index that Go's
//     `[-1 0 false]` would hide.
//   - goV: Go's %v, only inside MIT's texts that the spec quotes verbatim ("one(%v) failed to
//     reach agreement", "cmd %v missing in %v", ...). With the int commands MIT's tests submit
//     both forms print the same; they differ only for strings, arrays and nil.

/** Longest string fmtV shows in full; longer ones are cut and their length given. */
const MAX_STRING = 60;
/** Most array elements or object fields fmtV shows. */
const MAX_ITEMS = 12;
/** Deepest nesting fmtV descends into. */
const MAX_DEPTH = 3;

const PROMISE = "a Promise (this method must not be async: return the value itself)";

/** A value as JavaScript source would show it. */
export function fmtV(v: unknown, depth = 0): string {
  if (v instanceof Promise) return PROMISE;
  switch (typeof v) {
    case "string":
      return v.length > MAX_STRING ? `${JSON.stringify(v.slice(0, MAX_STRING))}… (${v.length} characters)` : JSON.stringify(v);
    case "number":
      return Object.is(v, -0) ? "-0" : String(v);
    case "bigint":
      return `${v}n`;
    case "undefined":
      return "undefined";
    case "function":
      return v.name ? `[function ${v.name}]` : "[function]";
    case "symbol":
      return v.toString();
    case "boolean":
      return String(v);
  }
  if (v === null) return "null";
  if (depth >= MAX_DEPTH) return Array.isArray(v) ? "[…]" : "{…}";
  const more = (n: number): string[] => (n > MAX_ITEMS ? [`… ${n - MAX_ITEMS} more`] : []);
  if (Array.isArray(v)) return `[${[...v.slice(0, MAX_ITEMS).map((x) => fmtV(x, depth + 1)), ...more(v.length)].join(", ")}]`;
  if (v instanceof Uint8Array) return `Uint8Array(${v.length}) [${[...[...v.slice(0, MAX_ITEMS)].map(String), ...more(v.length)].join(", ")}]`;
  const entries = Object.entries(v as object);
  const ctor = (v as object).constructor;
  const prefix = ctor !== Object && ctor !== undefined && typeof ctor.name === "string" && ctor.name !== "" ? `${ctor.name} ` : "";
  if (entries.length === 0) return `${prefix}{}`;
  const fields = entries.slice(0, MAX_ITEMS).map(([k, x]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${fmtV(x, depth + 1)}`);
  return `${prefix}{ ${[...fields, ...more(entries.length)].join(", ")} }`;
}

/** Go's %v for the values tests deal in: MIT's verbatim texts only. */
export function goV(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (Array.isArray(v)) return `[${v.map(goV).join(" ")}]`;
  if (v instanceof Promise) return PROMISE;
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}
