// The deterministic world, as Raft code and the tester see it.
export { World, SimFailure, world, maybeWorld, MAX_EVENTS_PER_INSTANT, type RunOutcome, type WorldOptions } from "./world.ts";
export { Rng } from "./random.ts";
export { Trace, type TraceEvent, type Topic } from "./trace.ts";
export { sleep, now, go } from "./time.ts";
export { rng, randomInt, random } from "./rand.ts";
export { Channel, type Received } from "./channel.ts";
export { Cond } from "./cond.ts";
export { DPrintf, Debug, formatGo } from "./debug.ts";
