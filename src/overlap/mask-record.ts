/**
 * A corpus unit rewritten with its matched spans masked (mask.ts). Text files: the paragraph's own
 * bytes, masked. JSONL: the string fields the record's text was built from (record-text.ts, in the
 * same order) are masked in place and the record is written again with JSON.stringify: key order is
 * kept, while the line's original spacing and \u escapes are not (its line terminator is kept).
 */
import { codePoints, maskText, type MaskRange } from './mask.js';

/** A string inside a parsed record that the text was joined from. */
interface Slot {
  readonly holder: Record<string, unknown> | unknown[];
  readonly key: string | number;
}

const LAYOUTS: readonly (readonly string[])[] = [
  ['text'], ['content'], ['messages'], ['conversations'], ['prompt', 'chosen', 'rejected'],
  ['system_prompt', 'question', 'response'], ['instruction', 'input', 'output'], ['inputs', 'targets'],
];

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The slots record-text.ts's asText reads, in its order; false where it would find no text. */
function slotsOf(holder: Record<string, unknown> | unknown[], key: string | number, out: Slot[]): boolean {
  const value = (holder as Record<string | number, unknown>)[key];
  if (typeof value === 'string') return out.push({ holder, key }) > 0;
  if (Array.isArray(value)) {
    return value.every((v, i) => {
      if (typeof v === 'string') return out.push({ holder: value, key: i }) > 0;
      if (isObject(v) && typeof v.content === 'string') return out.push({ holder: v, key: 'content' }) > 0;
      if (isObject(v) && typeof v.value === 'string') return out.push({ holder: v, key: 'value' }) > 0;
      return false;
    });
  }
  if (isObject(value) && 'prompt' in value) return joinSlots(value, ['prompt', 'chosen', 'rejected'], out);
  return false;
}

function joinSlots(row: Record<string, unknown>, fields: readonly string[], out: Slot[]): boolean {
  const before = out.length;
  for (const f of fields) {
    if (row[f] === undefined || row[f] === null) continue;
    if (!slotsOf(row, f, out)) return false;
  }
  return out.length > before;
}

function recordSlots(row: Record<string, unknown>, field: string | undefined): Slot[] {
  const out: Slot[] = [];
  if (field !== undefined) {
    const keys = field.split('.');
    let holder: unknown = row;
    for (const k of keys.slice(0, -1)) holder = isObject(holder) ? holder[k] : undefined;
    return isObject(holder) && slotsOf(holder, keys[keys.length - 1], out) ? out : [];
  }
  const layout = LAYOUTS.find((l) => l.some((f) => row[f] !== undefined && row[f] !== null));
  return layout && joinSlots(row, layout, out) ? out : [];
}

/** The line terminator at the end of a raw unit ("\r\n", "\n" or none). */
function terminator(raw: Buffer): string {
  if (raw.length > 0 && raw[raw.length - 1] === 0x0a) return raw.length > 1 && raw[raw.length - 2] === 0x0d ? '\r\n' : '\n';
  return '';
}

/**
 * The masked bytes of a JSONL record, or undefined when its text cannot be rebuilt from its fields
 * exactly as it was read (the caller then removes the record rather than mask the wrong characters).
 */
export function maskJsonRecord(raw: Buffer, row: Record<string, unknown>, field: string | undefined, text: string, ranges: readonly MaskRange[]): Buffer | undefined {
  const slots = recordSlots(row, field);
  const parts = slots.map((s) => (s.holder as Record<string | number, unknown>)[s.key] as string);
  if (slots.length === 0 || parts.join('\n') !== text) return undefined;
  let base = 0;
  slots.forEach((s, i) => {
    (s.holder as Record<string | number, unknown>)[s.key] = maskText(parts[i], ranges, base);
    base += codePoints(parts[i]) + 1;
  });
  return Buffer.from(JSON.stringify(row) + terminator(raw), 'utf8');
}

/** A text file's paragraph: its text is its bytes, so offsets apply directly. */
export function maskTextUnit(source: string, ranges: readonly MaskRange[]): Buffer {
  return Buffer.from(maskText(source, ranges), 'utf8');
}
