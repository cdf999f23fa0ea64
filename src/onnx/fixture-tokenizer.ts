/**
 * A word-level tokenizer for fixture models: whitespace splitting, one id per word, `<unk>` for the rest.
 * Written as a Hugging Face tokenizer.json with a WordLevel model, which the Rust tokenizers load natively;
 * @huggingface/tokenizers 0.2.0 has no WordLevel class but loads the same vocabulary through its
 * fallback ("Legacy") model, taking `unk_token` from tokenizer_config.json, so both files set it.
 */

export const END_OF_TEXT = '<|endoftext|>';
export const UNKNOWN = '<unk>';
/** Ids of the two special tokens, first in every fixture vocabulary. */
export const END_OF_TEXT_ID = 0;
export const UNKNOWN_ID = 1;

/** Common English words, so fixture models can score readable sentences. */
export const DEFAULT_WORDS: readonly string[] = (
  'the of and to a in is it you that he was for on are with as his they be at one have this from or had by ' +
  'not word but what some we can out other were all there when up use your how said an each she which do ' +
  'their time if will way about many then them write would like so these her long make thing see him two ' +
  'has look more day could go come did number sound no most people my over know water than call first who ' +
  'may down side been now find any new work part take get place made live where after back little only ' +
  'round man year came show every good me give our under name very through just form sentence great think ' +
  'say help low line differ turn cause much mean before move right boy old too same tell does set three ' +
  'want air well also play small end put home read hand port large spell add even land here must big high ' +
  'such follow act why ask men change went light kind off need house picture try us again animal point ' +
  'mother world near build self earth father question answer test model data . , ? !'
).split(' ');

const DEFAULT_VOCAB = 256;

/**
 * Token strings by id: the specials, then `words`, then fillers `tok{id}` up to `vocabSize`.
 * Without a size, the vocabulary is exactly the specials and the words (or 256 with the default words).
 */
export function fixtureVocabulary(words: readonly string[] = DEFAULT_WORDS, vocabSize?: number): string[] {
  const tokens = [END_OF_TEXT, UNKNOWN, ...words];
  const seen = new Set<string>();
  for (const [id, token] of tokens.entries()) {
    if (token.length === 0 || /\s/u.test(token)) throw new Error(`fixture vocabulary: word ${JSON.stringify(token)} (id ${id}) is empty or has whitespace`);
    if (seen.has(token)) throw new Error(`fixture vocabulary: word ${JSON.stringify(token)} (id ${id}) appears twice`);
    seen.add(token);
  }
  const size = vocabSize ?? (words === DEFAULT_WORDS ? Math.max(DEFAULT_VOCAB, tokens.length) : tokens.length);
  if (size < tokens.length) throw new Error(`fixture vocabulary: vocab ${size} is smaller than ${tokens.length} (2 special tokens + ${words.length} words)`);
  for (let id = tokens.length; id < size; id++) {
    const filler = `tok${id}`;
    if (seen.has(filler)) throw new Error(`fixture vocabulary: filler ${filler} clashes with a given word`);
    tokens.push(filler);
  }
  return tokens;
}

function specialToken(id: number, content: string): Record<string, unknown> {
  return { id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true };
}

/** tokenizer.json content. */
export function tokenizerJson(vocabulary: readonly string[]): Record<string, unknown> {
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [specialToken(END_OF_TEXT_ID, END_OF_TEXT), specialToken(UNKNOWN_ID, UNKNOWN)],
    normalizer: null,
    pre_tokenizer: { type: 'WhitespaceSplit' },
    post_processor: null,
    // No decoder: tokens are joined with single spaces, which is the inverse of whitespace splitting.
    decoder: null,
    model: { type: 'WordLevel', vocab: Object.fromEntries(vocabulary.map((token, id) => [token, id])), unk_token: UNKNOWN },
  };
}

/** tokenizer_config.json content. GPT-2 style: no BOS added by encode, <|endoftext|> is bos, eos and pad. */
export function tokenizerConfig(context: number): Record<string, unknown> {
  return {
    tokenizer_class: 'PreTrainedTokenizerFast',
    bos_token: END_OF_TEXT,
    eos_token: END_OF_TEXT,
    pad_token: END_OF_TEXT,
    unk_token: UNKNOWN,
    add_bos_token: false,
    add_eos_token: false,
    // Off, so decode(encode(text)) gives back text with single spaces exactly (no " ." -> "." rewriting).
    clean_up_tokenization_spaces: false,
    model_max_length: context,
  };
}
