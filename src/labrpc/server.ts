// A Server is a collection of Services, registered in the Network under a name. Its RPC
// counter counts requests that reached a handler (after request loss); a restarted peer
// gets a new Server and so starts again at 0, as in MIT's labrpc.
import type { Service, Handler } from "./service.ts";

export class Server {
  private readonly services = new Map<string, Service>();
  private count = 0;

  AddService(svc: Service): void {
    this.services.set(svc.name, svc);
  }

  /** Finds the handler for "Service.Method", failing with MIT's messages when there is none. */
  lookup(svcMeth: string): { receiver: object; handler: Handler } {
    const dot = svcMeth.lastIndexOf(".");
    const serviceName = dot < 0 ? svcMeth : svcMeth.slice(0, dot);
    const methodName = dot < 0 ? "" : svcMeth.slice(dot + 1);
    const service = this.services.get(serviceName);
    if (service === undefined) {
      const choices = [...this.services.keys()].sort();
      throw new Error(`labrpc.Server.dispatch(): unknown service ${serviceName} in ${serviceName}.${methodName}; expecting one of [${choices.join(" ")}]`);
    }
    const handler = service.handler(methodName);
    if (handler === undefined) {
      throw new Error(`labrpc.Service.dispatch(): unknown method ${methodName} in ${serviceName}; expecting one of [${service.methodNames().join(" ")}]`);
    }
    return { receiver: service.receiver, handler };
  }

  /** Counts a request that reached this server's handler. */
  countRequest(): void {
    this.count++;
  }

  GetCount(): number {
    return this.count;
  }
}

export function MakeServer(): Server {
  return new Server();
}
