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
 * All probes are found in one pass per record: a rolling polynomial hash over the record's
 * normalised text for each distinct probe length (50, plus the lengths of items shorter than 50),
 * looked up in a table of probe hashes, each hit verified by comparing the text itself.
 */
import { derivedRandom } from '../util/random.js';

export const PROBE_LENGTH = 50;
export const PROBE_NORMALISATION = 'Unicode letters and numbers kept, case kept, everything else (spaces, punctuation, symbols) removed';

const NOT_ALNUM = /[^\p{L}\p{N}]/gu;
const BASE = 0x01000193;

export function probeNormalise(text: string): string {
  return text.replace(NOT_ALNUM, '');
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

/** One probe as stored: which item, which of its probes. */
export interface ProbeRef {
  readonly item: number;
  readonly probe: number;
}

export class ProbeTable {
  /** Per distinct probe length (UTF-16 units): hash -> probe refs, and BASE^(length-1) for rolling. */
  private readonly byLength = new Map<number, { table: Map<number, ProbeRef[]>; top: number }>();
  private readonly texts: string[][] = [];

  /** Adds item number `item` (its index in the n-gram index) with its drawn probes. */
  add(item: number, probes: readonly string[]): void {
    this.texts[item] = [...probes];
    probes.forEach((p, probe) => {
      let slot = this.byLength.get(p.length);
      if (!slot) {
        let top = 1;
        for (let i = 1; i < p.length; i += 1) top = Math.imul(top, BASE);
        this.byLength.set(p.length, (slot = { table: new Map(), top }));
      }
      const h = hashOf(p, 0, p.length);
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
    for (const [length, { table, top }] of this.byLength) {
      if (normalised.length < length) continue;
      let h = hashOf(normalised, 0, length);
      for (let i = 0; ; i += 1) {
        const refs = table.get(h);
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
