// A full mesh of enabled ends for network tests: ends[i][j] leads from peer i to server j.
import type { ClientEnd, Network } from "../../src/labrpc/index.ts";

export function meshEnds(net: Network, peers: number): ClientEnd[][] {
  return Array.from({ length: peers }, (_, i) =>
    Array.from({ length: peers }, (_, j) => {
      const name = `end-${i}-${j}`;
      const e = net.MakeEnd(name);
      e.owner = i;
      e.target = j;
      net.Connect(name, j);
      net.Enable(name, true);
      return e;
    }));
}
