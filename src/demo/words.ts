/**
 * The demo language's word lists, written for this project, and a seeded generator of invented names.
 * Everything is lowercase except names and sentence starts; punctuation is its own space-separated
 * word, so the whitespace-splitting word-level tokenizer reads every text exactly as it was written.
 */

export const JOBS = [
  'baker', 'smith', 'weaver', 'potter', 'fisher', 'miller', 'carpenter', 'tailor', 'healer', 'farmer',
  'mason', 'brewer', 'scribe', 'sailor', 'hunter', 'shepherd', 'glassmaker', 'cook', 'gardener', 'merchant',
] as const;

/** Plural forms only: the templates never need a singular object. */
export const OBJECTS = [
  'lanterns', 'apples', 'baskets', 'candles', 'stones', 'ropes', 'jars', 'coins', 'books', 'blankets',
  'pears', 'nails', 'shells', 'cups', 'boots', 'feathers', 'keys', 'maps', 'plums', 'bells',
] as const;

export const CONTAINERS = ['barn', 'cellar', 'shed', 'cart', 'chest', 'boat', 'tower', 'kitchen', 'attic', 'shop'] as const;
export const COLOURS = ['red', 'blue', 'green', 'yellow', 'white', 'black', 'grey', 'brown', 'silver', 'golden'] as const;
export const ANIMALS = ['goat', 'horse', 'dog', 'cat', 'owl', 'donkey', 'sheep', 'crow', 'fox', 'pig'] as const;
export const DIRECTIONS = ['north', 'south', 'east', 'west'] as const;
export const FEATURES = ['river', 'bridge', 'hill', 'forest', 'lake', 'market', 'harbour', 'mill', 'well', 'castle', 'temple', 'orchard'] as const;
export const SEASONS = ['spring', 'summer', 'autumn', 'winter'] as const;

const ONSETS = ['b', 'd', 'f', 'g', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'z', 'br', 'dr', 'kr', 'st', 'th', 'sh', 'gl', 'tr'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'ou', 'y'];
const CODAS = ['', '', 'n', 'r', 'l', 's', 'th', 'm', 'k', 'nd', 'sk'];

/**
 * `count` distinct capitalised names of two or three syllables ("Brealsk", "Tovimar"), none in `taken`
 * (which is extended with them), so background and benchmark names can never collide.
 */
export function inventNames(count: number, random: () => number, taken: Set<string>): string[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const names: string[] = [];
  while (names.length < count) {
    const syllables = random() < 0.6 ? 2 : 3;
    let word = '';
    for (let i = 0; i < syllables; i++) word += pick(ONSETS) + pick(VOWELS) + (i === syllables - 1 ? pick(CODAS) : '');
    const name = word[0].toUpperCase() + word.slice(1);
    if (taken.has(name)) continue;
    taken.add(name);
    names.push(name);
  }
  return names;
}
