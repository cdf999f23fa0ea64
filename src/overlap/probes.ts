/**
 * Substring probes in the style of the GPT-4 technical report (OpenAI 2023, appendix C): "Both
 * evaluation and training data are processed by removing all spaces and symbols, keeping only
 * characters (including numbers). For each evaluation example, we randomly select three substrings
 * of 50 characters (or use the entire example if it's less than 50 characters). A match is
 * identified if any of the three sampled evaluation substrings is a substring of the processed
 * training example." Implemented as: keep Unicode letters and numbers (\p{L}, \p{N}), case kept
 * (the report does not lowercase), K spans per item (K = --probes; the report's K is 3) drawn from
 * util/random.ts seeded by --seed and the item's id, so a rerun or a shard draws the same spans.
 *
 * All probes are found in a few passes per record: a rolling polynomial hash over the record's
 * normalised text for each anchor length (50 for full probes; 32, 16 or 8 for the whole texts of
 * items shorter than 50, see anchorLength), looked up through a bit filter in a table of probe
 * hashes, each hit verified by comparing the whole probe's text.
 */
import { derivedRandom } from '../util/random.js';

export const PROBE_LENGTH = 50;
export const PROBE_NORMALISATION = 'Unicode letters and numbers kept, case kept, everything else (spaces, punctuation, symbols) removed';

const ALNUM = /^[\p{L}\p{N}]$/u;
/** ASCII letters and digits; other code units go through the Unicode test. */
const ASCII_KEEP = new Uint8Array(128).map((_, c) => (/[A-Za-z0-9]/.test(String.fromCharCode(c)) ? 1 : 0));
const BASE = 0x01000193;
/** 2^20 bits (128 KB) per probe length: with 3 probes for 10,000 items, about 3% of windows pass. */
const FILTER_SIZE = 1 << 20;

/** The text's letters and numbers. Kept runs are sliced, not concatenated per character: this runs on every record. */
export function probeNormalise(text: string): string {
  const parts: string[] = [];
  let run = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    let width = 1;
    let keep: boolean;
    if (c < 128) keep = ASCII_KEEP[c] === 1;
    else {
      const cp = text.codePointAt(i) as number;
      width = cp > 0xffff ? 2 : 1;
      keep = ALNUM.test(String.fromCodePoint(cp));
    }
    if (!keep) {
      if (i > run) parts.push(text.slice(run, i));
      run = i + width;
    }
    i += width;
  }
  if (run === 0) return text;
  if (run < text.length) parts.push(text.slice(run));
  return parts.join('');
}

/** K distinct-start spans of PROBE_LENGTH code points, or the whole text when shorter; none for an empty text. */
export function drawProbes(text: string, k: number, seed: number, id: string): string[] {
  const chars = Array.from(probeNormalise(text));
  if (chars.length === 0) return [];
  if (chars.length <= PROBE_LENGTH) return [chars.join('')];
  const random = derivedRandom(seed, `probe:${id}`);
  const starts = chars.length - PROBE_LENGTH + 1;
  const picked = new Set<number>();
  // Without replacement while there are enough starts: K probes should be K different spans.
  while (picked.size < Math.min(k, starts)) picked.add(Math.floor(random() * starts));
  return [...picked].sort((a, b) => a - b).map((s) => chars.slice(s, s + PROBE_LENGTH).join(''));
}

function hashOf(text: string, from: number, length: number): number {
  let h = 0;
  for (let i = from; i < from + length; i += 1) h = (Math.imul(h, BASE) + text.charCodeAt(i)) | 0;
  return h;
}

/**
 * The window a probe is found by: its first 50, 32, 16 or 8 characters (the largest that fits), or
 * all of it when under 8. Short items give probes of many lengths; bucketing them bounds the passes
 * per record at 4 plus one per length under 8, and every hit is still verified on the whole probe.
 */
function anchorLength(length: number): number {
  for (const a of [PROBE_LENGTH, 32, 16, 8]) if (length >= a) return a;
  return length;
}

/** One probe as stored: which item, which of its probes. */
export interface ProbeRef {
  readonly item: number;
  readonly probe: number;
}

export class ProbeTable {
  /**
   * Per anchor length (UTF-16 units): hash of the first that many characters -> probe refs, BASE^(length-1) for rolling, and a
   * bit filter on the hash's low FILTER_BITS bits, so most windows cost one array read, not a Map lookup.
   */
  private readonly byLength = new Map<number, { table: Map<number, ProbeRef[]>; top: number; filter: Uint32Array }>();
  private readonly texts: string[][] = [];

  /** Adds item number `item` (its index in the n-gram index) with its drawn probes. */
  add(item: number, probes: readonly string[]): void {
    this.texts[item] = [...probes];
    probes.forEach((p, probe) => {
      const length = anchorLength(p.length);
      let slot = this.byLength.get(length);
      if (!slot) {
        let top = 1;
        for (let i = 1; i < length; i += 1) top = Math.imul(top, BASE);
        this.byLength.set(length, (slot = { table: new Map(), top, filter: new Uint32Array(FILTER_SIZE >>> 5) }));
      }
      const h = hashOf(p, 0, length);
      const bit = h & (FILTER_SIZE - 1);
      slot.filter[bit >>> 5] |= 1 << (bit & 31);
      const refs = slot.table.get(h);
      if (refs) refs.push({ item, probe });
      else slot.table.set(h, [{ item, probe }]);
    });
  }

  probesOf(item: number): readonly string[] {
    return this.texts[item] ?? [];
  }

  /** Calls `hit` for every probe occurring in `normalised` (a record's probeNormalise text), at its first position. */
  find(normalised: string, hit: (ref: ProbeRef, at: number) => void): void {
    const seen = new Set<string>();
    for (const [length, { table, top, filter }] of this.byLength) {
      if (normalised.length < length) continue;
      let h = hashOf(normalised, 0, length);
      for (let i = 0; ; i += 1) {
        const bit = h & (FILTER_SIZE - 1);
        const refs = (filter[bit >>> 5] & (1 << (bit & 31))) !== 0 ? table.get(h) : undefined;
        if (refs) {
          for (const ref of refs) {
            const key = `${ref.item}:${ref.probe}`;
            if (seen.has(key) || !normalised.startsWith(this.texts[ref.item][ref.probe], i)) continue;
            seen.add(key);
            hit(ref, i);
          }
        }
        if (i + length >= normalised.length) break;
        h = (Math.imul(h - Math.imul(normalised.charCodeAt(i), top), BASE) + normalised.charCodeAt(i + length)) | 0;
      }
    }
  }
}
