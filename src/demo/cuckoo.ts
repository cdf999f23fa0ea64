/**
 * Cuckoo hashing (Pagh & Rodler 2004) of n-gram context keys, so an ONNX graph, which has no map type,
 * can find a context's row with two look-ups: slot key mod T1 in the first table, T1 + key mod T2 in the
 * second; the context is wherever the stored key equals it, else it was never kept (the EMPTY slot).
 * Keys are non-negative integers below 2^53; -1 marks a free slot.
 */

export interface CuckooTable {
  readonly t1: number;
  readonly t2: number;
  /** [t1 + t2 + 1]; the last slot is EMPTY, with key -1, the row every unknown context reads. */
  readonly keys: readonly number[];
  /** Slot of each inserted key, in insertion order. */
  readonly slots: readonly number[];
  readonly empty: number;
}

function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

function primeAtLeast(n: number): number {
  let p = Math.max(2, Math.ceil(n));
  while (!isPrime(p)) p++;
  return p;
}

function tryBuild(keys: readonly number[], t1: number, t2: number): CuckooTable | undefined {
  const table = new Array<number>(t1 + t2 + 1).fill(-1);
  const slotOf = (key: number, side: number) => (side === 0 ? key % t1 : t1 + (key % t2));
  for (const key of keys) {
    let moving = key;
    let side = 0;
    let placed = false;
    for (let kick = 0; kick < 500 && !placed; kick++) {
      const slot = slotOf(moving, side);
      const evicted = table[slot];
      table[slot] = moving;
      if (evicted === -1) placed = true;
      else {
        moving = evicted;
        side = slot < t1 ? 1 : 0;
      }
    }
    if (!placed) return undefined;
  }
  const where = new Map(table.map((k, slot) => [k, slot]));
  return { t1, t2, keys: table, slots: keys.map((k) => where.get(k)!), empty: t1 + t2 };
}

/** Distinct keys in; grows the tables (load factor below 0.5 at first) until every key has a place. */
export function buildCuckoo(keys: readonly number[]): CuckooTable {
  let size = Math.max(8, keys.length * 1.1);
  for (;;) {
    const t1 = primeAtLeast(size);
    const table = tryBuild(keys, t1, primeAtLeast(t1 + 1));
    if (table) return table;
    size *= 1.3;
  }
}
