// Inside the sandbox realm: the part of src/sim a submission may import (what
// `import … from "../sim/index.ts"` gives it). The course's own modules, compiled into the
// sandbox over port.ts; the World, the Trace and SimFailure are not part of it.
export { sleep, now, go } from "../../sim/time.ts";
export { rng, randomInt, random } from "../../sim/rand.ts";
export { Channel } from "../../sim/channel.ts";
export { Cond } from "../../sim/cond.ts";
export { DPrintf, Debug, formatGo } from "../../sim/debug.ts";
