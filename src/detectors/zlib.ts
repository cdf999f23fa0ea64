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

/** Byte length of Python's zlib.compress(utf8(text)): stock zlib, level 6, zlib container. */
export function pythonZlibLength(text: string): number {
  return pako.deflate(new TextEncoder().encode(text), { level: 6 }).length;
}

export interface ZlibOptions {
  readonly compressedLength?: CompressedLength;
}

export function zlib(options: ZlibOptions = {}): Detector {
  const length = options.compressedLength ?? pythonZlibLength;
  return {
    id: ZLIB_ID,
    version: 1,
    params: {},
    needs: {},
    // Never divides by zero: even the empty string compresses to 8 bytes (header + trailer).
    score: (target, ctx) => -(meanNll(target) / length(ctx.text)),
  };
}
