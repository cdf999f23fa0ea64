/**
 * What every detector needs from one scored text, and nothing more: full logits are never kept.
 * Arrays of length n = ids.length; index t describes the prediction of token t from tokens < t.
 * Index 0 is never predicted (no context), so logprob/mean/std hold NaN there.
 */
export interface TokenScores {
  /** Token ids exactly as the tokenizer produced them, special tokens included. */
  readonly ids: readonly number[];
  /** log p(x_t | x_<t), fp32 arithmetic from a stable log-softmax. */
  readonly logprob: Float64Array;
  /** Expected log-prob under the next-token distribution: sum_v p(v) log p(v) (negative entropy). */
  readonly mean: Float64Array;
  /** Standard deviation of log-prob under the next-token distribution (Min-K%++'s sigma). */
  readonly std: Float64Array;
}

export interface SampleOptions {
  /** Number of continuations per prefix. */
  readonly n: number;
  readonly maxNewTokens: number;
  readonly minNewTokens?: number;
  /** 0 means greedy decoding. */
  readonly temperature?: number;
  readonly topK?: number;
  readonly topP?: number;
  readonly seed?: number;
}

export interface Tokenizer {
  encode(text: string, options?: { addSpecialTokens?: boolean }): number[];
  decode(ids: readonly number[], options?: { skipSpecialTokens?: boolean }): string;
  /** Text of one token as the vocabulary spells it (for display). */
  tokenText(id: number): string;
  readonly vocabSize: number;
  readonly bosId: number | undefined;
  readonly eosId: number | undefined;
  readonly padId: number | undefined;
  /** Whether encode adds a BOS token by itself (Llama yes, GPT-2 no). */
  readonly addsBos: boolean;
}

export interface LanguageModel {
  readonly id: string;
  /** sha256 over the weights and tokenizer files: any change to them changes this. */
  readonly fingerprint: string;
  readonly tokenizer: Tokenizer;
  readonly contextLength: number;
  readonly vocabSize: number;
  scoreTexts(texts: readonly string[]): Promise<TokenScores[]>;
  scoreIds(ids: readonly (readonly number[])[]): Promise<TokenScores[]>;
  close(): Promise<void>;
}
