// Spins forever in Make. Expected: hung, found in seconds (the stall watchdog).
import type { MakeFn } from "../../src/raft/api.ts";

export const Make: MakeFn = () => {
  for (;;) {
    // spin
  }
};
