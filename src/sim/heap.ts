// A binary min-heap of scheduled events, ordered by (virtual time, insertion sequence).
// The sequence number makes ties deterministic: two events at the same instant run in the
// order they were scheduled, never in an order that depends on object identity.

export interface ScheduledEvent {
  time: number;
  seq: number;
  fn: () => void;
}

export class EventHeap {
  private items: ScheduledEvent[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): ScheduledEvent | undefined {
    return this.items[0];
  }

  push(ev: ScheduledEvent): void {
    const items = this.items;
    items.push(ev);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(ev, items[parent]!)) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = ev;
  }

  pop(): ScheduledEvent | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    // Sift `last` down from the root.
    const n = items.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && before(items[r]!, items[l]!) ? r : l;
      if (!before(items[child]!, last)) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = last;
    return top;
  }
}

function before(a: ScheduledEvent, b: ScheduledEvent): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
