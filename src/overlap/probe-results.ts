/** Per-benchmark probe results for overlap.json, from a scan or from shard outputs (overlap merge). */
import { wilson } from '../stats/wilson.js';
import type { NgramIndex } from './ngram-index.js';
import type { ProbeScan } from './probe-scan.js';
import type { ItemMatch, ProbeMatch, ProbeSummary } from './types.js';

function summary(perItem: number, items: number, matches: ProbeMatch[], ngram: readonly ItemMatch[]): ProbeSummary {
  const found = matches.length;
  const byNgram = new Set(ngram.filter((m) => m.found).map((m) => m.id));
  const byProbe = new Set(matches.map((m) => m.id));
  return {
    perItem,
    items,
    found,
    share: wilson(found, items),
    onlyProbes: matches.filter((m) => !byNgram.has(m.id)).length,
    onlyNgrams: [...byNgram].filter((id) => !byProbe.has(id)).length,
    matches,
  };
}

export function probeSummary(benchmark: string, index: NgramIndex, scan: ProbeScan, ngram: readonly ItemMatch[]): ProbeSummary {
  const found = new Set(ngram.filter((m) => m.found).map((m) => m.id));
  const matches: ProbeMatch[] = [];
  let items = 0;
  index.items.forEach((it, i) => {
    if (it.benchmark !== benchmark || !scan.hasProbes[i]) return;
    items += 1;
    const h = scan.hits.get(i);
    if (h) matches.push({ id: it.id, rowIndex: it.rowIndex, probesFound: [...h.probes].sort((a, b) => a - b), records: h.records, first: h.first, ngramFound: found.has(it.id) });
  });
  return summary(scan.perItem, items, matches.sort((a, b) => a.rowIndex - b.rowIndex), ngram);
}

/** Shards' probe results combined: probes found are united, records add, the first record is the earliest. */
export function mergeProbes(parts: readonly ProbeSummary[], fileOrder: ReadonlyMap<string, number>, ngram: readonly ItemMatch[]): ProbeSummary {
  const byId = new Map<string, ProbeMatch[]>();
  for (const p of parts) for (const m of p.matches) byId.set(m.id, [...(byId.get(m.id) ?? []), m]);
  const found = new Set(ngram.filter((m) => m.found).map((m) => m.id));
  const order = (f: ProbeMatch['first']) => [fileOrder.get(f.file) ?? 0, f.record];
  const matches = [...byId.values()].map((ms): ProbeMatch => {
    const first = ms.map((m) => m.first).sort((a, b) => order(a)[0] - order(b)[0] || order(a)[1] - order(b)[1])[0];
    const probesFound = [...new Set(ms.flatMap((m) => m.probesFound))].sort((a, b) => a - b);
    return { id: ms[0].id, rowIndex: ms[0].rowIndex, probesFound, records: ms.reduce((s, m) => s + m.records, 0), first, ngramFound: found.has(ms[0].id) };
  });
  return summary(parts[0].perItem, parts[0].items, matches.sort((a, b) => a.rowIndex - b.rowIndex), ngram);
}
