// Inside the sandbox realm: TextEncoder and TextDecoder (labgob's UTF-8), which ECMAScript
// does not define and so a vm realm lacks. The host's own do the work; what crosses is a
// string, the sandbox's byte arrays and numbers.
import { callOut } from "./outside.ts";

export interface TextHost {
  /** TextEncoder.encodeInto: [read, written]. */
  encodeInto(input: string, dest: Uint8Array): readonly [number, number];
  encode(input: string): Uint8Array;
  decode(input: unknown, fatal: boolean, ignoreBOM: boolean): string;
}

let host: TextHost | undefined;

export function setTextHost(h: TextHost): void {
  host = h;
}

class TextEncoder {
  get encoding(): string {
    return "utf-8";
  }

  encode(input = ""): Uint8Array {
    return new Uint8Array(callOut(host!.encode, String(input)));
  }

  encodeInto(input: string, dest: Uint8Array): { read: number; written: number } {
    const r = callOut(host!.encodeInto, String(input), dest);
    return { read: r[0], written: r[1] };
  }
}

class TextDecoder {
  readonly #fatal: boolean;
  readonly #ignoreBOM: boolean;

  constructor(label = "utf-8", options: { fatal?: boolean; ignoreBOM?: boolean } = {}) {
    if (!/^utf-?8$/i.test(String(label))) throw new RangeError(`TextDecoder: only utf-8 is available here, not ${String(label)}`);
    this.#fatal = options.fatal === true;
    this.#ignoreBOM = options.ignoreBOM === true;
  }

  get encoding(): string {
    return "utf-8";
  }

  get fatal(): boolean {
    return this.#fatal;
  }

  get ignoreBOM(): boolean {
    return this.#ignoreBOM;
  }

  decode(input?: unknown): string {
    return callOut(host!.decode, input ?? new Uint8Array(0), this.#fatal, this.#ignoreBOM);
  }
}

const g = globalThis as unknown as Record<string, unknown>;
g.TextEncoder = TextEncoder;
g.TextDecoder = TextDecoder;
