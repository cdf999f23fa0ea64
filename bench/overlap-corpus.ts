/**
 * The overlap bench's corpus: JSONL records of real prose (sentences of MMLU's test questions and
 * choices, recombined from a seed) with GSM8K and ARC-Challenge test questions
 * planted verbatim, one per record, at spread-out places. Sentences holding any benchmark n-gram
 * are left out of the background, so the planted items are the only ones a scan can find. A
 * second file holds the corpus' first quarter (whole records) for the memory-flatness run.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { loadBenchmark } from '../src/benchmarks/load.js';
import type { NgramIndex } from '../src/overlap/ngram-index.js';
import { words } from '../src/overlap/normalise.js';
import { seededRandom } from '../src/util/random.js';

export interface BenchCorpus {
  readonly path: string;
  readonly bytes: number;
  readonly records: number;
  /** The first quarter of `path`, whole records. */
  readonly quarterPath: string;
  readonly quarterBytes: number;
  /** Item ids (`gsm8k/test/12`) planted, in id order, and those inside the quarter. */
  readonly planted: readonly string[];
  /**
   * What a scan must find: the planted items and any other item sharing an n-gram with one of them
   * (benchmarks hold near-duplicate questions), in id order; and those inside the quarter.
   */
  readonly expected: readonly string[];
  readonly expectedInQuarter: readonly string[];
}

/** The ids of every item with an n-gram in `text`. */
function itemsIn(index: NgramIndex, text: string): string[] {
  const ids = new Set<string>();
  index.probe(words(text), (postings) => postings.forEach((p) => ids.add(index.items[p.item].id)));
  return [...ids];
}

/** Background sentences: MMLU test questions and choices split at sentence ends, minus any holding a benchmark n-gram. */
async function sentences(mmlu: string, index: NgramIndex): Promise<string[]> {
  const loaded = await loadBenchmark({ task: 'mmlu', path: mmlu });
  const out: string[] = [];
  for (const s of loaded.samples) {
    for (const part of s.text.split(/(?<=[.?!])\s+|\n+/)) {
      const t = part.trim();
      if (t.split(/\s+/).length < 4) continue;
      let hit = false;
      index.probe(words(t), () => (hit = true));
      if (!hit) out.push(t);
    }
  }
  return out;
}

export interface CorpusRequest {
  readonly dir: string;
  readonly bytes: number;
  readonly mmlu: string;
  readonly index: NgramIndex;
  /** Checkable items to plant (evenly spread over the corpus). */
  readonly plant: number;
  readonly seed?: number;
}

export async function writeBenchCorpus(request: CorpusRequest): Promise<BenchCorpus> {
  const random = seededRandom(request.seed ?? 18);
  const pool = await sentences(request.mmlu, request.index);
  const checkable = request.index.items.map((it, i) => ({ it, i })).filter(({ it }) => it.ngrams.length > 0);
  // Every k-th checkable item, so both benchmarks get planted.
  const step = Math.max(1, Math.floor(checkable.length / request.plant));
  const chosen = checkable.filter((_, j) => j % step === 0).slice(0, request.plant);
  const path = join(request.dir, 'corpus.jsonl');
  const quarterPath = join(request.dir, 'corpus-quarter.jsonl');
  const full = openSync(path, 'w');
  const quarter = openSync(quarterPath, 'w');
  const quarterLimit = request.bytes / 4;
  let bytes = 0;
  let quarterBytes = 0;
  let records = 0;
  let next = 0;
  const planted: string[] = [];
  const expected = new Set<string>();
  const expectedInQuarter = new Set<string>();
  let batch: string[] = [];
  let batchBytes = 0;
  const flush = (): void => {
    const data = Buffer.from(batch.join(''));
    writeSync(full, data);
    if (quarterBytes < quarterLimit) {
      writeSync(quarter, data);
      quarterBytes += data.length;
    }
    batch = [];
    batchBytes = 0;
  };
  while (bytes < request.bytes) {
    const parts: string[] = [];
    const count = 3 + Math.floor(random() * 12);
    for (let s = 0; s < count; s += 1) parts.push(pool[Math.floor(random() * pool.length)]);
    // Plant the next item once the corpus has passed its share of the size.
    if (next < chosen.length && bytes >= (next + 0.5) * (request.bytes / chosen.length)) {
      const { it } = chosen[next++];
      parts.splice(Math.floor(count / 2), 0, it.text);
      planted.push(it.id);
      for (const id of itemsIn(request.index, it.text)) {
        expected.add(id);
        // The quarter file takes the batch this record is in when it has not reached its size yet.
        if (quarterBytes < quarterLimit) expectedInQuarter.add(id);
      }
    }
    const line = `${JSON.stringify({ id: `doc-${records}`, text: parts.join(' ') })}\n`;
    batch.push(line);
    const size = Buffer.byteLength(line);
    batchBytes += size;
    bytes += size;
    records += 1;
    // Flush in ~4 MB batches; the quarter file takes whole batches, so it ends on a record.
    if (batchBytes >= 4 << 20) flush();
  }
  flush();
  closeSync(full);
  closeSync(quarter);
  const byId = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });
  return { path, bytes, records, quarterPath, quarterBytes, planted: planted.sort(byId), expected: [...expected].sort(byId), expectedInQuarter: [...expectedInQuarter].sort(byId) };
}
