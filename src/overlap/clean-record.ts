/**
 * What `--write-clean` does with one scanned record: keep it byte for byte, remove it (a dropped task,
 * or a benchmark match without --mask), or, with --mask, write it with its matched windows masked.
 * Kept out of scan.ts so the scan loop only reports what it found.
 */
import type { CleanWriter } from './clean-writer.js';
import type { CorpusFormat } from './corpus-files.js';
import { maskRanges } from './mask.js';
import { maskJsonRecord, maskTextUnit } from './mask-record.js';
import type { Word } from './normalise.js';

export interface ScannedRecord {
  readonly file: string;
  readonly format: CorpusFormat;
  readonly line: number;
  readonly record: number;
  readonly raw: Buffer;
  /** The parsed JSONL row (undefined for text files). */
  readonly row: unknown;
  readonly text: string;
  readonly ws: readonly Word[];
  /** Matched window starts per benchmark item id, in item order. */
  readonly hits: ReadonlyMap<string, readonly number[]>;
  readonly dropTask?: string;
}

export async function writeCleanRecord(clean: CleanWriter, r: ScannedRecord, n: number, options: { mask: boolean; textField?: string }): Promise<void> {
  const where = { file: r.file, line: r.line, record: r.record };
  const items = [...r.hits.keys()];
  if (r.hits.size > 0 && options.mask && r.dropTask === undefined) {
    const ranges = maskRanges(r.ws, [...r.hits.values()].flat(), n);
    const masked = r.format === 'text' ? maskTextUnit(r.text, ranges) : maskJsonRecord(r.raw, r.row as Record<string, unknown>, options.textField, r.text, ranges);
    if (masked) return clean.mask({ ...where, items, masked: ranges }, masked);
    // Fields that cannot be rebuilt into the text that matched: removing is the safe side.
    return clean.remove({ ...where, reasons: [`overlap: ${items.join(', ')}`, 'mask: the text could not be mapped back to its fields'] });
  }
  const reasons: string[] = [];
  if (r.hits.size > 0) reasons.push(`overlap: ${items.join(', ')}`);
  if (r.dropTask !== undefined) reasons.push(`task: ${r.dropTask}`);
  if (reasons.length > 0) await clean.remove({ ...where, reasons });
  else await clean.keep(r.raw);
}
