/**
 * The set of benchmark n-grams, built once and probed for every corpus window. Keys are 64 bits made
 * of two independent 32-bit polynomial hashes over per-word FNV-1a hashes, kept in an open-addressing
 * table of typed arrays. A key hit is verified against the stored n-gram text before it counts, so a
 * hash collision can cost time but never produce a false match.
 */
import type { Word } from './normalise.js';

/** One benchmark item as indexed: the text checked and its distinct n-grams in order of first use. */
export interface IndexedItem {
  readonly benchmark: string;
  readonly id: string;
  readonly rowIndex: number;
  /** The exact text whose n-grams are looked for (see queries.ts for which fields). */
  readonly text: string;
  readonly wordCount: number;
  readonly ngrams: readonly string[];
}

/** Where a stored n-gram occurs: item `item`'s distinct n-gram number `k`. */
export interface Posting {
  readonly item: number;
  readonly k: number;
}

interface Entry {
  readonly text: string;
  readonly postings: Posting[];
  /** Next entry with the same 64-bit key (a true collision), or -1. */
  next: number;
}

const BASE_A = 0x01000193;
const BASE_B = 0x5bd1e995;

/** Two FNV-1a variants over UTF-16 code units (different offset bases and primes), written at `i` of `ha` and `hb`. */
export function hashWordInto(word: string, ha: Uint32Array, hb: Uint32Array, i: number): void {
  let a = 0x811c9dc5;
  let b = 0x2f3a1c77;
  for (let j = 0; j < word.length; j += 1) {
    const c = word.charCodeAt(j);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x000193a1);
  }
  ha[i] = a;
  hb[i] = b ^ (b >>> 15);
}

const scratchA = new Uint32Array(1);
const scratchB = new Uint32Array(1);

/** Both hashes of one word, as a pair. */
export function wordHashes(word: string): [number, number] {
  hashWordInto(word, scratchA, scratchB, 0);
  return [scratchA[0], scratchB[0]];
}

/** Hashes of the n-gram starting at `from` in per-word hash arrays. */
function windowKey(ha: Uint32Array, hb: Uint32Array, from: number, n: number): [number, number] {
  let a = 0;
  let b = 0;
  for (let i = from; i < from + n; i += 1) {
    a = (Math.imul(a, BASE_A) + ha[i]) | 0;
    b = (Math.imul(b, BASE_B) + hb[i]) | 0;
  }
  return [a >>> 0, b >>> 0];
}

export class NgramIndex {
  readonly items: IndexedItem[] = [];
  private readonly entries: Entry[] = [];
  private keysA = new Uint32Array(1024);
  private keysB = new Uint32Array(1024);
  /** entry index + 1 per slot; 0 is empty. */
  private slots = new Int32Array(1024);

  /** `hashWord` is replaceable so tests can force every key to collide and check the text verification. */
  constructor(
    readonly n: number,
    private readonly hashWord: (word: string) => [number, number] = wordHashes,
  ) {}

  get size(): number {
    return this.entries.length;
  }

  /** Adds an item; its distinct n-grams are computed from `itemWords` (already normalised). */
  add(item: Omit<IndexedItem, 'ngrams' | 'wordCount'>, itemWords: readonly Word[]): IndexedItem {
    const ws = itemWords.map((w) => w.word);
    const { ha, hb } = this.hashAll(ws);
    const seen = new Set<string>();
    const ngrams: string[] = [];
    const itemNumber = this.items.length;
    for (let i = 0; i + this.n <= ws.length; i += 1) {
      const text = ws.slice(i, i + this.n).join(' ');
      if (seen.has(text)) continue;
      seen.add(text);
      const [a, b] = windowKey(ha, hb, i, this.n);
      this.insert(text, { item: itemNumber, k: ngrams.length }, a, b);
      ngrams.push(text);
    }
    const indexed: IndexedItem = { ...item, wordCount: ws.length, ngrams };
    this.items.push(indexed);
    return indexed;
  }

  /** Both hashes of every word, computed once per word. */
  private hashAll(ws: readonly string[]): { ha: Uint32Array; hb: Uint32Array } {
    const ha = new Uint32Array(ws.length);
    const hb = new Uint32Array(ws.length);
    if (this.hashWord !== wordHashes) {
      for (let i = 0; i < ws.length; i += 1) [ha[i], hb[i]] = this.hashWord(ws[i]);
      return { ha, hb };
    }
    // Straight into the arrays: the scan hashes every corpus word, and a pair per word is garbage.
    for (let i = 0; i < ws.length; i += 1) hashWordInto(ws[i], ha, hb, i);
    return { ha, hb };
  }

  private insert(text: string, posting: Posting, a: number, b: number): void {
    let slot = this.findSlot(a, b);
    for (let e = slot >= 0 ? this.slots[slot] - 1 : -1; e >= 0; e = this.entries[e].next) {
      if (this.entries[e].text === text) {
        this.entries[e].postings.push(posting);
        return;
      }
    }
    const index = this.entries.push({ text, postings: [posting], next: -1 }) - 1;
    if (slot >= 0) {
      // Same 64-bit key, different text: chain it behind the first entry.
      let e = this.slots[slot] - 1;
      while (this.entries[e].next >= 0) e = this.entries[e].next;
      this.entries[e].next = index;
      return;
    }
    if ((this.entries.length) * 2 > this.slots.length) this.grow();
    slot = this.emptySlot(a, b);
    this.keysA[slot] = a;
    this.keysB[slot] = b;
    this.slots[slot] = index + 1;
  }

  private findSlot(a: number, b: number): number {
    const mask = this.slots.length - 1;
    for (let s = (a ^ Math.imul(b, 0x9e3779b1)) & mask; ; s = (s + 1) & mask) {
      if (this.slots[s] === 0) return -1;
      if (this.keysA[s] === a && this.keysB[s] === b) return s;
    }
  }

  private emptySlot(a: number, b: number): number {
    const mask = this.slots.length - 1;
    let s = (a ^ Math.imul(b, 0x9e3779b1)) & mask;
    while (this.slots[s] !== 0) s = (s + 1) & mask;
    return s;
  }

  private grow(): void {
    const { keysA, keysB, slots } = this;
    this.keysA = new Uint32Array(slots.length * 2);
    this.keysB = new Uint32Array(slots.length * 2);
    this.slots = new Int32Array(slots.length * 2);
    for (let s = 0; s < slots.length; s += 1) {
      if (slots[s] === 0) continue;
      const t = this.emptySlot(keysA[s], keysB[s]);
      this.keysA[t] = keysA[s];
      this.keysB[t] = keysB[s];
      this.slots[t] = slots[s];
    }
  }

  /**
   * Calls `hit` for every window of `docWords` that is a benchmark n-gram, verified by text.
   * `at` is the window's first word number.
   */
  probe(docWords: readonly Word[], hit: (postings: readonly Posting[], at: number, text: string) => void): void {
    const count = docWords.length;
    const n = this.n;
    if (count < n || this.entries.length === 0) return;
    const { ha, hb } = this.hashAll(docWords.map((w) => w.word));
    // Rolling: drop the leaving word's term (its hash times BASE^(n-1)), shift, add the new word.
    // Integer arithmetic mod 2^32 throughout, so every key equals windowKey's for that window.
    let powA = 1;
    let powB = 1;
    for (let j = 1; j < n; j += 1) {
      powA = Math.imul(powA, BASE_A);
      powB = Math.imul(powB, BASE_B);
    }
    let [a, b] = windowKey(ha, hb, 0, n);
    for (let i = 0; i + n <= count; i += 1) {
      if (i > 0) {
        a = (Math.imul((a - Math.imul(ha[i - 1], powA)) | 0, BASE_A) + ha[i + n - 1]) >>> 0;
        b = (Math.imul((b - Math.imul(hb[i - 1], powB)) | 0, BASE_B) + hb[i + n - 1]) >>> 0;
      }
      const slot = this.findSlot(a, b);
      if (slot < 0) continue;
      let text = '';
      for (let j = i; j < i + this.n; j += 1) text += j === i ? docWords[j].word : ` ${docWords[j].word}`;
      for (let e = this.slots[slot] - 1; e >= 0; e = this.entries[e].next) {
        if (this.entries[e].text === text) hit(this.entries[e].postings, i, text);
      }
    }
  }
}
