/**
 * zlib entropy calibration (Carlini et al., USENIX Security 2021, "Extracting Training Data from LLMs").
 * Paper / upstream sign: NLL_T(x) / len(zlib.compress(utf8 x)) (swj0419 `run.py:104`, MIMIR `zlib.py`),
 * lower = member. Ours: -(NLL / compressed length), higher = member.
 *
 * Compressed length: Python's zlib.compress uses level 6 (Z_DEFAULT_COMPRESSION) with the zlib
 * header and Adler-32 trailer; node:zlib deflateSync with defaults writes the same format. Node
 * bundles Chromium's zlib fork, whose match finder differs, so lengths can differ from stock zlib by
 * a few bytes on real texts (measured: 1069 of 1319 GSM8K items). So the default length comes from
 * pako, a port of stock zlib that is byte-identical to Python on all of GSM8K.
 */
import pako from 'pako';
import type { Detector } from './types.js';
import { meanNll } from './token-math.js';

export const ZLIB_ID = 'zlib';

export type CompressedLength = (text: string) => number;

const encoder = new TextEncoder();
/** zlib's MIN_LOOKAHEAD: a match may reach back at most the window size minus this. */
const MIN_LOOKAHEAD = 258 + 3 + 1;

/**
 * Byte length of Python's zlib.compress(utf8(text)): stock zlib, level 6, zlib container.
 *
 * The window is the smallest that holds the whole text within reach of a match (zlib's MAX_DIST):
 * the matches found are then those of the 32 KB window, and only the header's window-size bits
 * differ, not the length (test/detectors/zlib-parity.test.ts checks against Python). Setting up a
 * 32 KB window for every neighbour was most of an audit's statistics time (bench/: pako's
 * deflateInit2 and the collections after it).
 */
export function pythonZlibLength(text: string): number {
  const bytes = encoder.encode(text);
  let windowBits = 9;
  while (windowBits < 15 && (1 << windowBits) - MIN_LOOKAHEAD < bytes.length) windowBits++;
  return pako.deflate(bytes, { level: 6, windowBits }).length;
}

export interface ZlibOptions {
  readonly compressedLength?: CompressedLength;
}

export function zlib(options: ZlibOptions = {}): Detector {
  const compressed = options.compressedLength ?? pythonZlibLength;
  // The target and control seats score the same text one after the other: compress it once.
  let last: { text: string; length: number } | undefined;
  const length = (text: string): number => {
    if (last?.text !== text) last = { text, length: compressed(text) };
    return last.length;
  };
  return {
    id: ZLIB_ID,
    version: 1,
    params: {},
    needs: {},
    // Never divides by zero: even the empty string compresses to 8 bytes (header + trailer).
    score: (target, ctx) => -(meanNll(target) / length(ctx.text)),
  };
}
