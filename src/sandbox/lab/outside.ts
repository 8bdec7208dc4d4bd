// Inside the sandbox realm: every call out to the host goes through callOut, so that an
// exception thrown outside (a host-realm Error, whose constructor leads to the host's
// Function) reaches submission code only as an error of the sandbox's own realm.
const defineProperty = Object.defineProperty;
const LocalError = Error;

// Fixed arity rather than rest arguments: this is on the path of every sleep, now() and Call.
export function callOut<R>(fn: (...args: never[]) => R, a?: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown): R {
  try {
    return (fn as (a: unknown, b: unknown, c: unknown, d: unknown, e: unknown) => R)(a, b, c, d, e);
  } catch (err) {
    throw localError(err);
  }
}

/** The same failure as an object of this realm (primitives are thrown as they are). */
export function localError(e: unknown): unknown {
  if ((typeof e !== "object" && typeof e !== "function") || e === null) return e;
  const source = e as { name?: unknown; message?: unknown; stack?: unknown };
  const err = new LocalError(typeof source.message === "string" ? source.message : "an error outside the sandbox");
  if (typeof source.name === "string") defineProperty(err, "name", { value: source.name, writable: true, configurable: true });
  if (typeof source.stack === "string") defineProperty(err, "stack", { value: source.stack, writable: true, configurable: true });
  return err;
}
