import { describe, expect, it } from 'vitest';
import { loadPublishedReferences, parsePublishedReferences } from '../../src/report/references.js';

describe('published references', () => {
  it('holds the SOLAR card numbers and the Llama-2-70B control as data', () => {
    const refs = loadPublishedReferences();
    expect(refs.statistic).toBe('result < 0.1, %');
    expect(refs.models.map((m) => m.model)).toEqual([
      'upstage/SOLAR-10.7B-Instruct-v1.0', 'abacusai/Smaug-72B-v0.1', 'moreh/MoMo-72B-lora-1.8.7-DPO', 'meta-llama/Llama-2-70b-hf', 'abacusai/Smaug-34B-v0.1',
    ]);
    expect(refs.models[0].results).toEqual({ arc: 0.06, mmlu: 0.15, truthfulqa: 0.28, gsm8k: 0.7, hellaswag: 'not-supported', winogrande: 'not-supported' });
    expect(refs.models[3]).toMatchObject({ role: 'control', referenceModel: 'Llama-7B', results: { gsm8k: 0.89 } });
    expect(refs.models[4].referenceModel).toBe('bagel-34b-v0.2');
  });

  it('names the file, field, what was found and what was expected on a bad entry', () => {
    const raw = JSON.parse(JSON.stringify(loadPublishedReferences()));
    raw.models[1].results.arc = 'high';
    expect(() => parsePublishedReferences(raw, 'published.json')).toThrow(
      'published.json: field models[1].results.arc is "high", expected a number in [0, 1], "not-supported" or "not-reported"',
    );
    expect(() => loadPublishedReferences('/nonexistent/published.json')).toThrow(/^cannot read published references \/nonexistent\/published.json: ENOENT/);
  });
});
