/**
 * One demo model from its training text: documents of space-separated words, encoded with a fixed
 * vocabulary, estimated as a Kneser-Ney 6-gram (ngram.ts) and written as a model folder (export.ts).
 * Models that share a vocabulary share a tokenizer, as a target and its reference must.
 */
import { exportNgramModel, type ExportInfo } from './export.js';
import { estimateNgram, type NgramOptions } from './ngram.js';

export interface TrainOptions {
  /** The model folder to write. */
  readonly dir: string;
  readonly role: ExportInfo['role'];
  readonly docs: readonly string[];
  /** Token strings by id, specials first (fixtureVocabulary); must hold every word of `docs`. */
  readonly vocabulary: readonly string[];
  readonly seed: number;
  readonly ngram?: NgramOptions;
}

export function trainModel(options: TrainOptions): void {
  const idOf = new Map(options.vocabulary.map((token, id) => [token, id]));
  const encode = (doc: string): number[] =>
    doc.split(' ').map((word) => {
      const id = idOf.get(word);
      if (id === undefined) throw new Error(`demo ${options.role}: training word ${JSON.stringify(word)} is not in the vocabulary`);
      return id;
    });
  const ids = options.docs.map(encode);
  const model = estimateNgram(ids, options.vocabulary.length, options.ngram);
  const trainingTokens = ids.reduce((sum, doc) => sum + doc.length, 0);
  exportNgramModel(options.dir, model, options.vocabulary, { role: options.role, trainingTokens, seed: options.seed });
}
