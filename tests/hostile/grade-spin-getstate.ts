// Spins forever in GetState, which the tester calls. Expected: hung, found in seconds.
import type { MakeFn } from "../../src/raft/api.ts";
import { deadRaft } from "./grade-dead.ts";

export const Make: MakeFn = () => ({
  ...deadRaft(),
  GetState: () => {
    for (;;) {
      // spin
    }
  },
});
