// Attack: import the tester and make its checks pass (checkOneLeader answers 0, one()
// answers index 1, fatalf returns). Unconfined this scored 93.75/100.
// Expected: the submission does not load: it may import only the lab API.
import { Config } from "../../src/config/config.ts";
import type { Raft } from "../../src/raft/api.ts";

const proto = Config.prototype as unknown as Record<string, unknown>;
proto.checkOneLeader = async () => 0;
proto.one = async () => 1;
proto.fatalf = () => undefined;

export function Make(): Raft {
  return { Start: () => [-1, 0, false], GetState: () => [0, false], Snapshot: () => {}, Kill: () => {} };
}
