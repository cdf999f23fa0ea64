import { describe, expect, it } from 'vitest';
import { histogram, renderRankChart } from '../../src/report/svg.js';
import { fixtureResults, fixtureSamples, hostileName } from './fixture-results.js';
import { xmlProblems } from './xml-check.js';

const samples = fixtureSamples();
const [arc, , hostile] = fixtureResults.benchmarks;

describe('histogram', () => {
  it('bins over [0, 1], puts s = 1 in the last bin and skips failed (NaN) ranks', () => {
    expect(histogram([0, 0.05, 0.1, 0.55, 0.99, 1, NaN], 10)).toEqual([2, 1, 0, 0, 0, 1, 0, 0, 0, 2]);
  });
});

describe('xmlProblems, the tests\' own checker', () => {
  it('catches unbalanced tags, raw < and bare &', () => {
    expect(xmlProblems('<a><b></a>')).not.toEqual([]);
    expect(xmlProblems('<t>x < y</t>')).not.toEqual([]);
    expect(xmlProblems('<t>a & b</t>')).not.toEqual([]);
    expect(xmlProblems('<t a="1">x &lt; y &amp; z</t>')).toEqual([]);
  });
});

describe('renderRankChart', () => {
  it('is a well-formed, self-contained SVG with both distributions, the cut, axes and legend', () => {
    const svg = renderRankChart(arc, samples, 'loss', { targetLabel: 'target: SOLAR', controlLabel: 'control: llama-7b' });
    expect(xmlProblems(svg)).toEqual([]);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).not.toMatch(/href|<script|<image|@import/);
    expect(svg.match(/fill="#d1495b"><title>target /g)).toHaveLength(10);
    expect(svg.match(/fill="#4f7cac"><title>control /g)).toHaveLength(10);
    expect(svg).toContain('cut s &lt; 0.1');
    expect(svg).toContain('>target: SOLAR</text>');
    expect(svg).toContain('>samples</text>');
    expect(svg).toContain('target 0.06 [0.00, 0.12] · control 0.09 · s &lt; 0.1 · n = 40');
  });

  it('counts each sample once: bar titles add up to the benchmark\'s samples', () => {
    const svg = renderRankChart(arc, samples, 'min-k:k=0.2');
    const total = (who: string): number =>
      [...svg.matchAll(new RegExp(`<title>${who} s in [^<]*: (\\d+)</title>`, 'g'))].reduce((n, m) => n + Number(m[1]), 0);
    expect(total('target')).toBe(40);
    expect(total('control')).toBe(40);
  });

  it('escapes hostile benchmark and detector text', () => {
    const svg = renderRankChart(hostile, samples, 'loss', { targetLabel: 'a "quoted" <b>&amp</b>' });
    expect(xmlProblems(svg)).toEqual([]);
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('\u001b');
    expect(svg).toContain('my|bench `x` &lt;script&gt;alert(1)&lt;/script&gt; line2 ␛[31mred␛[0m: neighbour rank s (loss)');
    expect(hostileName).toContain('<script>');
  });

  it('says so when no sample was scored', () => {
    const svg = renderRankChart(arc, [], 'loss');
    expect(xmlProblems(svg)).toEqual([]);
    expect(svg).toContain('no scored samples');
  });
});
