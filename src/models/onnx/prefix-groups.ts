/**
 * Texts of one scoring call that begin with the same tokens share the work of those tokens. An
 * audit scores each sample's neighbours in calls of many texts, and every neighbour is the
 * reference's prefix (40% of the original's words by default) followed by its continuation, so
 * about two fifths of what both models score is the same few positions again and again.
 *
 * The common positions are fed once, in a pass of batch 1 that also returns their K/V; the rows then
 * feed only their own tokens after them and read that K/V as a shared past, as sampling's decode
 * steps do (graph-attention.ts sharedPastName). Every position sees the same context as in one pass
 * over the whole text, so the numbers agree within float rounding; each session checks that once
 * (sharedScoringWorks), and a graph without the split attention on every layer scores as before.
 */
import { forward } from './forward.js';
import { positionReader, scoreFetch, type PositionScores } from './score-outputs.js';
import { emptyScores, scoreOnePass, scoresAgree } from './segments.js';
import type { OpenedSession, ort } from './session.js';

/**
 * Fewest positions worth sharing. The shared pass is one more session call, a few milliseconds of
 * fixed cost on a small model, so a handful of positions saved per row does not pay for it.
 */
export const MIN_SHARED = 16;

export interface PrefixGroup {
  /** Indices of the member sequences, at least two. */
  readonly seqs: readonly number[];
  /**
   * Positions fed once: tokens [0, length) predict tokens 1..length, the same for every member
   * (length is one less than the members' common prefix, so each row's first fed token is still
   * common and its numbers need no other row's target).
   */
  readonly length: number;
}

function commonLength(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

function compareIds(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/**
 * Groups of the candidate sequences (indices into `sequences`) that share at least MIN_SHARED
 * positions. In token order, neighbours of one prefix lie next to each other, and a group grows
 * while the prefix common to all its members stays long enough.
 */
export function prefixGroups(sequences: readonly (readonly number[])[], candidates: readonly number[]): PrefixGroup[] {
  const order = [...candidates].sort((a, b) => compareIds(sequences[a], sequences[b]));
  const groups: PrefixGroup[] = [];
  let members: number[] = [];
  let common = 0;
  const close = () => {
    if (members.length >= 2 && common - 1 >= MIN_SHARED) groups.push({ seqs: members, length: common - 1 });
  };
  for (const i of order) {
    const shared = members.length ? Math.min(common, commonLength(sequences[members[members.length - 1]], sequences[i])) : 0;
    if (members.length && shared - 1 >= MIN_SHARED) {
      members.push(i);
      common = shared;
      continue;
    }
    close();
    members = [i];
    common = sequences[i].length;
  }
  close();
  return groups;
}

/**
 * The group's shared pass: fills every member's numbers for tokens 1..length and returns the
 * positions' K/V (batch 1, in the signature's past order) for the rows to read.
 */
export async function sharedPass(s: OpenedSession, sequences: readonly (readonly number[])[], group: PrefixGroup, into: readonly PositionScores[]): Promise<ort.Tensor[]> {
  const kv = s.signature.kv;
  if (!kv) throw new Error('a shared prefix needs a graph with a KV cache');
  const lead = sequences[group.seqs[0]];
  const m = group.length;
  const out = await forward(s, { ids: [lead.slice(0, m)], mask: [new Array(m).fill(1)], targets: [lead.slice(1, m + 1)], fetch: [...scoreFetch(s), ...kv.presentNames] });
  const read = positionReader(s, out);
  for (const seq of group.seqs) for (let p = 0; p < m; p++) read(p, lead[p + 1], into[seq], p + 1);
  return kv.presentNames.map((name) => out[name]);
}

/** The mask of a row after a shared past of `shared` positions: the past, then its own `fed` tokens and padding to `width`. */
export function maskAfterShared(shared: number, fed: number, width: number): number[] {
  return Array.from({ length: shared + width }, (_, j) => (j < shared + fed ? 1 : 0));
}

const verdicts = new WeakMap<OpenedSession, boolean>();

/**
 * Whether rows after a shared past score as one pass does on this session: checked once, on the
 * first tokens of a real text, with a few new positions (the attention's split products) and with
 * many (the export's own, on the past repeated to the rows; graph-attention.ts says which pass takes
 * which), so that every later group is scored by a path already checked.
 */
export async function sharedScoringWorks(s: OpenedSession, tokens: readonly number[], pad: number, context: number): Promise<boolean> {
  const known = verdicts.get(s);
  if (known !== undefined) return known;
  const kv = s.signature.kv;
  const eligible = s.hasHead && !!kv && kv.convention === 'optimum' && kv.pastNames.every((n) => s.sharedPasts?.includes(n)) && tokens.length >= 8;
  let ok = false;
  if (eligible) {
    try {
      // Rows of more new positions than a head is wide take the export's own products
      // (graph-attention.ts); the text is repeated to that length (within the context), any ids do
      // for the check.
      const long = Array.from({ length: Math.min(context, 4 + (kv?.headDim ?? 64) + 16) }, (_, i) => tokens[i % tokens.length]);
      ok = (await agrees(s, tokens.slice(0, 12), pad)) && (await agrees(s, long, pad));
    } catch {
      ok = false;
    }
  }
  verdicts.set(s, ok);
  return ok;
}

/** `probe` scored as 4 shared positions then one row, against one pass. */
async function agrees(s: OpenedSession, probe: readonly number[], pad: number): Promise<boolean> {
  const whole = await scoreOnePass(s, probe, pad);
  const parts = emptyScores(probe.length);
  const group = { seqs: [0], length: 4 };
  const shared = await sharedPass(s, [probe], group, [parts]);
  const fed = probe.length - 1 - group.length;
  const out = await forward(s, {
    ids: [probe.slice(group.length, probe.length - 1)],
    mask: [maskAfterShared(group.length, fed, fed)],
    targets: [probe.slice(group.length + 1)],
    shared,
    fetch: scoreFetch(s),
  });
  const read = positionReader(s, out);
  for (let p = 0; p < fed; p++) read(p, probe[group.length + 1 + p], parts, group.length + 1 + p);
  // whole holds position p's numbers at p (predicting token p + 1), parts at the predicted token's index.
  const at = (x: PositionScores, from: number, to: number): PositionScores => ({ logprob: x.logprob.subarray(from, to), mean: x.mean.subarray(from, to), std: x.std.subarray(from, to) });
  return scoresAgree(s, at(whole, 0, probe.length - 1), at(parts, 1, probe.length));
}
