// Go's %v formatting, for MIT's failure texts.

/** Go's %v for the values tests deal in. */
export function fmtV(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (Array.isArray(v)) return `[${v.map(fmtV).join(" ")}]`;
  if (v instanceof Promise) return "a Promise (this method must not be async: return the value itself)";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}
