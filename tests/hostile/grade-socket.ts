// Opens a network connection (to the test's listener on SOCKET_PORT) and sends what it likes.
// Node 20's permission model has no network permission: this is NOT refused (docs/GRADING.md
// says so). What the connection cannot do is change the verdict: 0 points, a complete report.
import { connect } from "node:net";
import type { MakeFn } from "../../src/raft/api.ts";
import { attempt, deadRaft } from "./grade-dead.ts";

export const SOCKET_PORT = 47_391;

export const Make: MakeFn = (_peers, me) => {
  if (me === 0) {
    attempt("connect", () => {
      const socket = connect(SOCKET_PORT, "127.0.0.1", () => socket.end("hostile was here\n"));
      socket.on("error", () => {});
    });
  }
  return deadRaft();
};
