import { describe, expect, it } from 'vitest';
import { createDetector, listDetectors, parseDetectorSpec } from '../../src/detectors/registry.js';
import { FatalError } from '../../src/errors.js';

const summary = (d: { id: string; version: number; params: object; needs: object }) => ({ id: d.id, version: d.version, params: d.params, needs: d.needs });

describe('detector registry', () => {
  it('lists every detector with its defaults', () => {
    expect(listDetectors().map((d) => [d.id, d.defaults])).toEqual([
      ['loss', {}],
      ['zlib', {}],
      ['lowercase', {}],
      ['reference', {}],
      ['min-k', { k: 0.2 }],
      ['min-k-plus-plus', { k: 0.2 }],
    ]);
  });

  it('parses specs with and without parameters', () => {
    expect(summary(parseDetectorSpec('min-k:k=0.3'))).toEqual({ id: 'min-k', version: 1, params: { k: 0.3 }, needs: {} });
    expect(summary(parseDetectorSpec('min-k-plus-plus'))).toEqual({ id: 'min-k-plus-plus', version: 1, params: { k: 0.2 }, needs: { distribution: true } });
    expect(summary(parseDetectorSpec('lowercase'))).toEqual({ id: 'lowercase', version: 1, params: {}, needs: { lowercase: true } });
    expect(summary(createDetector('reference'))).toEqual({ id: 'reference', version: 1, params: {}, needs: { reference: true } });
  });

  it('rejects k outside (0, 1] naming the value and the range', () => {
    for (const k of ['0', '1.5', '-0.2']) {
      expect(() => parseDetectorSpec(`min-k:k=${k}`)).toThrow(new FatalError(`detector min-k: k=${Number(k)} is out of range; k must be in (0, 1], e.g. k=0.2`));
    }
    expect(() => createDetector('min-k-plus-plus', { k: NaN })).toThrow('detector min-k-plus-plus: k=NaN is out of range');
    expect(summary(createDetector('min-k', { k: 1 })).params).toEqual({ k: 1 });
  });

  it('rejects unknown detectors listing the valid ids', () => {
    const err = (() => {
      try {
        parseDetectorSpec('mink:k=0.2');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(FatalError);
    expect((err as FatalError).message).toBe('unknown detector "mink"; valid detectors: loss, zlib, lowercase, reference, min-k, min-k-plus-plus');
  });

  it('rejects unknown and malformed parameters', () => {
    expect(() => parseDetectorSpec('min-k:K=0.2')).toThrow('detector min-k: unknown parameter "K"; valid parameters: k');
    expect(() => parseDetectorSpec('loss:k=0.2')).toThrow('detector loss: unknown parameter "k"; it takes no parameters');
    expect(() => parseDetectorSpec('min-k:k=abc')).toThrow('detector spec "min-k:k=abc": "k=abc" is not <name>=<number>, e.g. min-k:k=0.2');
    expect(() => parseDetectorSpec('min-k:0.2')).toThrow(FatalError);
  });
});
