/**
 * How to write one sample's neighbours, as data the engine executes. Pure: token counts come in as numbers.
 *
 * compat reproduces detection-methods.md §1.3 so published "result < 0.1, %" numbers compare:
 *   words-joined prefix, max_new_tokens = remaining *word* count (neighbours come out shorter than the
 *   original), min_new_tokens 1, HF default sampler (T 1, top-k 50, top-p 1), neighbours truncated to 150
 *   tokens when scored while the original never is.
 * fixed removes those quirks: exact-character prefix, a budget of the original continuation's *token*
 *   count, no truncation on either side (both scored the same way).
 * Both modes pass the sampler values explicitly (upstream silently took the reference checkpoint's
 * generation_config) and a per-sample seed (upstream set none, so its neighbours never repeat); seeding
 * changes nothing about the distribution, only makes a run repeatable.
 */
import type { SampleOptions } from '../models/types.js';
import { deriveSeed } from '../util/random.js';
import { exactPrefix, neighbourPrefix, type NeighbourPrefix } from './prefix.js';

/** compat reproduces the upstream tool, quirks included; fixed removes them. */
export type Mode = 'compat' | 'fixed';

export const DEFAULT_PREFIX_RATIO = 0.4;
export const DEFAULT_NEIGHBOURS = 100;
/** Upstream `tokenizer(batch, truncation=True, max_length=150)` on neighbours only (src/utils.py). */
export const COMPAT_NEIGHBOUR_MAX_TOKENS = 150;

export interface NeighbourPlanInput {
  readonly text: string;
  readonly mode: Mode;
  readonly sampleId: string;
  readonly seed: number;
  readonly prefixRatio?: number;
  readonly neighbours?: number;
  /**
   * Fixed mode only: token counts without special tokens, of the original text and of
   * `prefixFor('fixed', text, prefixRatio).prefix`. Their difference is the continuation's token count.
   */
  readonly tokens?: { readonly original: number; readonly prefix: number };
}

export interface NeighbourPlan {
  readonly mode: Mode;
  readonly prefix: NeighbourPrefix;
  readonly sampling: Required<SampleOptions>;
  /** Token limits when scoring; null = never truncated. */
  readonly truncation: { readonly original: number | null; readonly neighbours: number | null };
}

/** The prefix each mode samples from; the engine tokenizes it to fill `tokens` in fixed mode. */
export function prefixFor(mode: Mode, text: string, prefixRatio = DEFAULT_PREFIX_RATIO): NeighbourPrefix {
  return mode === 'compat' ? neighbourPrefix(text, prefixRatio) : exactPrefix(text, prefixRatio);
}

export function neighbourPlan(input: NeighbourPlanInput): NeighbourPlan {
  const { mode, text } = input;
  const prefix = prefixFor(mode, text, input.prefixRatio ?? DEFAULT_PREFIX_RATIO);
  let budget: number;
  if (mode === 'compat') {
    budget = prefix.remainingWords;
  } else {
    if (!input.tokens) throw new Error('neighbourPlan: fixed mode needs the token counts of the original and of its prefix');
    budget = input.tokens.original - input.tokens.prefix;
  }
  return {
    mode,
    prefix,
    sampling: {
      n: input.neighbours ?? DEFAULT_NEIGHBOURS,
      // At least min_new_tokens: upstream asked for max 0 < min 1 when the prefix took every word,
      // and fixed mode's count can reach 0 when the prefix's last token merges across the boundary.
      maxNewTokens: Math.max(1, budget),
      minNewTokens: 1,
      temperature: 1,
      topK: 50,
      topP: 1,
      // Per sample, not per run: a sample's neighbours do not depend on which other samples ran.
      seed: deriveSeed(input.seed, input.sampleId),
    },
    truncation: mode === 'compat' ? { original: null, neighbours: COMPAT_NEIGHBOUR_MAX_TOKENS } : { original: null, neighbours: null },
  };
}
