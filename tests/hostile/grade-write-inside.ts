// Writes inside the course: patches the tester it runs under (the compiled harness beside it),
// and drops a file in the course checkout (found through the node_modules link). Expected:
// every write refused; 0 points; the checkout untouched.
import { realpathSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { MakeFn } from "../../src/raft/api.ts";
import { attempt, deadRaft } from "./grade-dead.ts";

export const Make: MakeFn = () => {
  const here = dirname(fileURLToPath(import.meta.url));
  attempt("patch the tester", () => writeFileSync(join(here, "../config/config.js"), "export {};\n"));
  attempt("write into the checkout", () => {
    const checkout = dirname(realpathSync(join(here, "../../node_modules")));
    writeFileSync(join(checkout, "hostile-was-here.txt"), "x");
  });
  attempt("write into the working folder", () => writeFileSync("hostile-was-here.txt", "x"));
  return deadRaft();
};
