/**
 * `--probes K` during a scan: the probe table built once from the indexed items, and per item which
 * probes were found, in how many records, and the first record (corpus order) holding one.
 */
import type { NgramIndex } from './ngram-index.js';
import { PROBE_LENGTH, PROBE_NORMALISATION, ProbeTable, drawProbes, probeNormalise } from './probes.js';

export interface ProbeHits {
  readonly probes: Set<number>;
  records: number;
  readonly first: { readonly file: string; readonly line: number; readonly record: number };
}

export class ProbeScan {
  readonly table = new ProbeTable();
  readonly hits = new Map<number, ProbeHits>();
  /** Per indexed item: whether it has any probe (a text with a letter or number). */
  readonly hasProbes: boolean[] = [];

  constructor(
    index: NgramIndex,
    readonly perItem: number,
    readonly seed: number,
  ) {
    index.items.forEach((item, i) => {
      const probes = drawProbes(item.text, perItem, seed, item.id);
      this.hasProbes[i] = probes.length > 0;
      if (probes.length > 0) this.table.add(i, probes);
    });
  }

  /** Looks for every probe in one record's text. */
  record(text: string, where: { file: string; line: number; record: number }): void {
    const inRecord = new Set<number>();
    this.table.find(probeNormalise(text), (ref) => {
      let h = this.hits.get(ref.item);
      if (!h) this.hits.set(ref.item, (h = { probes: new Set(), records: 0, first: where }));
      h.probes.add(ref.probe);
      if (!inRecord.has(ref.item)) {
        inRecord.add(ref.item);
        h.records += 1;
      }
    });
  }

  convention() {
    return {
      perItem: this.perItem,
      length: PROBE_LENGTH,
      seed: this.seed,
      normalisation: PROBE_NORMALISATION,
      rule: `an item is found when any of its ${this.perItem} random ${PROBE_LENGTH}-character spans (the whole text when shorter) occurs in one record's normalised text (GPT-4 technical report, appendix C, which uses 3)`,
    };
  }
}
