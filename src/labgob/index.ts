// labgob: the codec for RPC arguments, replies and persisted state (see codec.ts).
export { LabgobError, encode, decode, decodeSequence, encodedSize, MAX_DEPTH, MAX_SIZE } from "./codec.ts";
