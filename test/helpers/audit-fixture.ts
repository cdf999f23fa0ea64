/**
 * A complete small audit setup written by the project's own code: two seeded GPT-2-style fixture
 * models (target and reference differ only in seed) and benchmark files in task formats.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeGpt2Fixture, type Gpt2FixtureOptions } from '../fixtures/gpt2-fixture.js';
import { DEFAULT_WORDS } from '../../src/onnx/fixture-tokenizer.js';
import { seededRandom } from '../../src/util/random.js';
import type { AuditConfig } from '../../src/audit/types.js';
import { DEFAULTS } from '../../src/cli/config.js';

export interface AuditFixture {
  readonly root: string;
  readonly target: string;
  readonly reference: string;
  readonly gsm8k: string;
  readonly arc: string;
}

const words = DEFAULT_WORDS.filter((w) => /^[a-z]+$/.test(w));

function sentence(rng: () => number, n: number): string {
  return Array.from({ length: n }, () => words[Math.floor(rng() * words.length)]).join(' ');
}

export async function writeAuditFixture(root: string, options: { rows?: number; model?: Gpt2FixtureOptions } = {}): Promise<AuditFixture> {
  mkdirSync(root, { recursive: true });
  const base: Gpt2FixtureOptions = { layers: 2, width: 32, heads: 2, context: 128, std: 0.2, ...options.model };
  const target = join(root, 'target');
  const reference = join(root, 'reference');
  await writeGpt2Fixture(target, { ...base, seed: 1 });
  await writeGpt2Fixture(reference, { ...base, seed: 2, kvConvention: 'stacked' });
  const rng = seededRandom(99);
  const rows = options.rows ?? 8;
  const gsm8k = join(root, 'gsm8k.jsonl');
  writeFileSync(
    gsm8k,
    Array.from({ length: rows }, (_, i) => JSON.stringify({ question: `${sentence(rng, 6 + (i % 5))} ?`, answer: `${sentence(rng, 5 + (i % 3))} .\n#### ${i}` })).join('\n') + '\n',
  );
  const arc = join(root, 'arc.jsonl');
  writeFileSync(
    arc,
    Array.from({ length: rows }, (_, i) =>
      JSON.stringify({
        id: `q${i}`,
        question: { stem: `${sentence(rng, 7)} ?`, choices: ['A', 'B', 'C', 'D'].map((label) => ({ label, text: sentence(rng, 3) })) },
        answerKey: 'ABCD'[i % 4],
      }),
    ).join('\n') + '\n',
  );
  return { root, target, reference, gsm8k, arc };
}

/**
 * An audit of the fixture's gsm8k file with the CLI's defaults, no cache hits (a private folder) and
 * no failing exit; `over` sets what a test varies.
 */
export function fixtureAuditConfig(fx: AuditFixture, cacheDir: string, over: Partial<AuditConfig>): AuditConfig {
  return {
    ...DEFAULTS,
    detectors: [...DEFAULTS.detectors],
    target: { path: fx.target },
    reference: { path: fx.reference },
    benchmarks: [{ name: 'gsm8k', task: 'gsm8k', path: fx.gsm8k }],
    failOn: 'never',
    cache: { enabled: false, dir: cacheDir },
    outputs: [],
    ...over,
  };
}
