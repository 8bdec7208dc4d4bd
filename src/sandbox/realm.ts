// The sandbox realm: a node:vm context (a realm of its own, with its own intrinsics, in the
// same thread and on the same microtask queue as the simulator, so virtual time and every
// trace are unchanged). The kernel runs first and hardens the realm; then the submission's
// script runs. eval and Function stay available there (labgob compiles its decoders of
// recurring object shapes with Function): they make code of the sandbox realm only, which
// reaches nothing the submission's own code could not. WebAssembly is off.
import { createContext, runInContext, Script } from "node:vm";
import { makeHost } from "./boundary.ts";
import type { KernelApi } from "./lab/kernel.ts";

/** Names that cannot be (or already are) locals of the wrapper. */
const RESERVED = new Set(["eval", "arguments", "require", "module", "exports"]);

export interface Realm {
  api: KernelApi;
  /** Runs a CommonJS script of the sandbox and returns its exports (an object of the sandbox realm). */
  evaluate(code: string, filename: string): Record<string, unknown>;
}

export function createRealm(kernelCode: string): Realm {
  // A global with no prototype of ours: `this.constructor` in the sandbox must not be our Object.
  const context = createContext(Object.create(null), {
    name: "raftlab submission",
    codeGeneration: { strings: true, wasm: false },
  });
  // A vm global answers every lookup through Node's interceptors, which makes each use of a
  // global name (Math, Object, Uint8Array, …) in the sandbox far slower than in the main
  // realm; the scripts therefore see the globals of the moment as locals of an outer scope.
  const run = (code: string, filename: string, args: unknown[]): void => {
    const names = (runInContext("Object.getOwnPropertyNames(globalThis)", context) as string[])
      .filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== "globalThis" && !RESERVED.has(n));
    const prologue = names.length === 0 ? "" : `const { ${names.join(", ")} } = globalThis;`;
    const wrapped = `(function (require, module, exports) {"use strict";${prologue}return (function () {${code}\n})();})`;
    const fn = new Script(wrapped, { filename }).runInContext(context) as (...a: unknown[]) => void;
    fn(...args);
  };
  const kernelModule = runInContext("({ exports: {} })", context) as { exports: { boot: (host: unknown) => KernelApi } };
  run(kernelCode, "raftlab:lab-api", [undefined, kernelModule, kernelModule.exports]);
  let api: KernelApi | undefined;
  api = kernelModule.exports.boot(makeHost(() => api!));
  const booted = api;
  return {
    api: booted,
    evaluate(code, filename) {
      const m = booted.newModule();
      run(code, filename, [booted.require, m, m.exports]);
      return m.exports;
    },
  };
}
