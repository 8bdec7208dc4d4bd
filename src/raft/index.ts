// The reference Raft. A student's implementation exports the same `Make`.
export { Make } from "./raft.ts";
export type { ApplyMsg, Raft, RaftView, MakeFn } from "./api.ts";
