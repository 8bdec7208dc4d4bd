// A Service wraps an object (a Raft instance) and exposes its RPC handlers by name, as
// MIT's labrpc does with reflection: every method whose name starts with an upper-case
// letter is a handler `Type.Method(args, reply)`, except the lab API's own methods
// (Start, GetState, Snapshot, Kill), which the tester calls directly.

export type Handler = (args: unknown, reply: Record<string, unknown>) => unknown;

const LAB_API = new Set(["Start", "GetState", "Snapshot", "Kill", "Make"]);

export class Service {
  readonly name: string;
  private readonly methods = new Map<string, Handler>();

  constructor(readonly receiver: object, name?: string) {
    this.name = name ?? receiver.constructor.name;
    for (let proto: object | null = receiver; proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
      for (const key of Object.getOwnPropertyNames(proto)) {
        if (this.methods.has(key) || LAB_API.has(key) || !/^[A-Z]/.test(key)) continue;
        const desc = Object.getOwnPropertyDescriptor(proto, key);
        if (desc !== undefined && typeof desc.value === "function") this.methods.set(key, desc.value as Handler);
      }
    }
  }

  /** The handler for `method`, or undefined. */
  handler(method: string): Handler | undefined {
    return this.methods.get(method);
  }

  /** Handler names, sorted as Go's reflection lists them. */
  methodNames(): string[] {
    return [...this.methods.keys()].sort();
  }
}

export function MakeService(receiver: object, name?: string): Service {
  return new Service(receiver, name);
}
