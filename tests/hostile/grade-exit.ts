// Calls process.exit(0) in Make, as if all were well. Expected: the run fails with a sentence
// saying the worker exited before the test ended; grading goes on.
import type { MakeFn } from "../../src/raft/api.ts";

export const Make: MakeFn = () => process.exit(0);
