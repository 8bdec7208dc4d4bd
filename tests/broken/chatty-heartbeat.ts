// Bug: the leader sends heartbeats every 10 ms instead of at most ten times a second.
// Caught by: TestCountPartB, "too many (or few) RPCs".
import { makeWith, Raft } from "./make.ts";

class ChattyHeartbeat extends Raft {
  override heartbeatInterval = 10; // BUG: the tester allows 100 ms at the least
}

export const Make = makeWith(ChattyHeartbeat);
