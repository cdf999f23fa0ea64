/**
 * Issue #6, "Must show" 2: the real CLI in a real terminal (tmux, 120x40) on fixture models. The
 * audit runs on the interactive path (CI unset), a benchmark is selected, a sample opened with its
 * lowest-probability tokens highlighted (SGR inverse + red in `capture-pane -e`), Esc goes back, q
 * quits, and the reports exist. A second case opens a sample whose text carries ANSI/OSC sequences,
 * BEL, backspaces and a carriage return: the screen shows them as ␛, ␇, ␈, ␍ and the terminal title
 * stays as it was.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeAuditFixture, type AuditFixture } from '../helpers/audit-fixture.js';
import { CLI, tempDir } from '../reliability/cli-helpers.js';
import { hasTmux, shellQuote, startPane, stopTmuxServer, type Pane } from './tmux.js';

const ESC = '\u001b';
const BEL = '\u0007';

let root: string;
let fx: AuditFixture;
const panes: Pane[] = [];

function auditCommand(args: readonly string[]): string {
  // env -u CI: the interactive path is skipped when CI is set (as it is in CI itself).
  return ['env', '-u', 'CI', `CONTAM_CACHE_DIR=${join(root, 'cache')}`, process.execPath, CLI, 'audit', '--target', fx.target, '--reference', fx.reference, '--neighbours', '20', '--fail-on', 'never', ...args]
    .map(shellQuote)
    .join(' ');
}

function start(args: readonly string[]): Pane {
  const pane = startPane(auditCommand(args), root);
  panes.push(pane);
  return pane;
}

/** Texts drawn with inverse video and red (the sample view's low-token style), from a capture-pane -e screen. */
function highlighted(screen: string): string[] {
  const out: string[] = [];
  let attrs = new Set<string>();
  for (const m of screen.matchAll(/\u001b\[([0-9;]*)m|([^\u001b]+)/g)) {
    if (m[2] !== undefined) {
      if (attrs.has('7') && attrs.has('31') && m[2].trim() !== '') out.push(m[2].trim());
      continue;
    }
    for (const code of (m[1] === '' ? '0' : m[1]).split(';')) {
      if (code === '0') attrs = new Set();
      else if (code === '27') attrs.delete('7');
      else if (code === '39') attrs.delete('31');
      else attrs.add(code);
    }
  }
  return out;
}

/** Lines showing benchmark `name` as finished (its row, or a log line repeating it). */
const finishedLines = (screen: string, name: string): string[] => screen.split('\n').filter((l) => new RegExp(`✓ ${name} `).test(l));

/** The line of the list that carries the selection marker. */
const selectedLine = (screen: string): string => screen.split('\n').find((l) => l.startsWith('❯')) ?? '';

beforeAll(async () => {
  if (!hasTmux) return;
  root = tempDir('tmux');
  fx = await writeAuditFixture(join(root, 'fixture'), { rows: 6 });
});

afterEach(() => {
  for (const pane of panes.splice(0)) pane.kill();
});

afterAll(() => stopTmuxServer());

describe.skipIf(!hasTmux)(`the audit dashboard in a real terminal (tmux)${hasTmux ? '' : ' (skipped: tmux is absent)'}`, () => {
  it('runs, selects a benchmark, opens a sample with highlighted tokens, goes back and quits with the reports written', async () => {
    const out = join(root, 'out-main');
    const pane = start(['-b', `gsm8k=${fx.gsm8k},arc=${fx.arc}`, '--out-dir', out]);

    const done = await pane.waitFor((s) => s.includes('Audit finished'), 'the audit to finish', { timeoutMs: 90_000 });
    expect(done).toMatch(/^❯ ✓ gsm8k +█+ +6\/6 /m);
    expect(done).toMatch(/^ {2}✓ arc +█+ +6\/6 /m);
    expect(done).toContain('↑/↓ j/k select · enter samples · q quit');
    // Each finished benchmark once: its row, no log line above the frame repeating it.
    expect([finishedLines(done, 'gsm8k').length, finishedLines(done, 'arc').length]).toEqual([1, 1]);

    pane.keys('j');
    await pane.waitFor((s) => /^❯ ✓ arc /m.test(s) && /^ {2}✓ gsm8k /m.test(s), 'arc to be selected');

    pane.keys('Enter');
    const list = await pane.waitFor((s) => s.includes('arc · 6 samples by suspicion'), 'the sample list');
    expect(selectedLine(list)).toMatch(/^❯ 1 +arc\/test\/\d+ /);
    const id = /arc\/test\/\d+/.exec(selectedLine(list))![0];

    pane.keys('Enter');
    const view = await pane.waitFor((s) => s.includes('lowest-probability tokens highlighted'), 'the sample view', { escapes: true });
    const plain = pane.capture();
    expect(plain).toMatch(new RegExp(`^${id} +row \\d+ +ppl `, 'm'));
    expect(plain).toContain('esc back');
    // The reports are written when the audit ends, before the dashboard closes: compare with the record.
    const record = readFileSync(join(out, 'samples.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; text: string; lowestTokens: { text: string }[] })
      .find((r) => r.id === id)!;
    // The text shows as written (words with their spaces), not as glued token texts.
    expect(plain.replace(/\s+/g, ' ')).toContain(record.text.split(' ').slice(0, 4).join(' '));
    const marked = highlighted(view).flatMap((t) => t.split(/\s+/));
    const lowest = record.lowestTokens.map((t) => t.text);
    expect(marked.length).toBeGreaterThan(0);
    expect(lowest).toEqual(expect.arrayContaining(marked));
    expect(marked).toEqual(expect.arrayContaining(lowest.filter((t) => record.text.split(' ').includes(t))));

    pane.keys('Escape');
    await pane.waitFor((s) => s.includes('arc · 6 samples by suspicion') && !s.includes('lowest-probability tokens highlighted'), 'the list again');

    pane.keys('q');
    expect(await pane.waitForExit()).toBe(0);
    await pane.waitFor((s) => s.includes('reports: '), 'the reports line');
    for (const file of ['results.json', 'samples.jsonl', 'report.md']) expect(existsSync(join(out, file))).toBe(true);
    // q from the list returned to the table first: what stays in the terminal has every row, once.
    const kept = pane.history();
    expect([finishedLines(kept, 'gsm8k').length, finishedLines(kept, 'arc').length]).toEqual([1, 1]);
    expect(kept).toContain('Audit finished');
  });

  it('(control) a raw OSC 2 sequence does change the pane title here, so the next test can see a change', async () => {
    const pane = startPane(`printf '\\033]2;PROBE-TITLE\\007'; sleep 30`, root);
    panes.push(pane);
    const deadline = Date.now() + 5000;
    while (pane.display('#{pane_title}') !== 'PROBE-TITLE' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(pane.display('#{pane_title}')).toBe('PROBE-TITLE');
  });

  it('shows escape sequences, BEL, backspaces and carriage returns in a sample as visible text and keeps the title', async () => {
    const words = 'the number of people who came to the house was one and the answer is a good one for all of them';
    const hostile =
      `the ${ESC}[31mred${ESC}[0m ${ESC}]0;PWNED-TITLE${BEL} ${ESC}]8;;https://evil.example/${BEL}click${ESC}]8;;${BEL} ` +
      `bell${BEL} back\b\bxx carriage\rover ${words}`;
    const data = join(root, 'hostile.jsonl');
    const rows = [...Array.from({ length: 4 }, (_, i) => ({ text: `${words} ${i}` })), { text: hostile }];
    writeFileSync(data, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const name = `hostile${ESC}]2;NAME-TITLE${BEL}`;
    const config = join(root, 'hostile.config.yaml');
    writeFileSync(config, JSON.stringify({ benchmarks: [{ name, task: 'custom', path: data }] }));
    const pane = start(['-c', config, '--out-dir', join(root, 'out-hostile')]);
    const title = pane.display('#{pane_title}');

    const done = await pane.waitFor((s) => s.includes('Audit finished'), 'the audit to finish', { timeoutMs: 90_000 });
    expect(done).toContain('hostile␛]2;NAME-TITLE␇');
    pane.keys('Enter');
    let list = await pane.waitFor((s) => s.includes('5 samples by suspicion'), 'the sample list');
    // Walk down to the hostile sample: its snippet shows the stand-ins.
    for (let i = 0; i < 5 && !selectedLine(list).includes('␛[31mred␛[0m'); i++) {
      const before = selectedLine(list);
      pane.keys('j');
      list = await pane.waitFor((s) => selectedLine(s) !== before, 'the selection to move');
    }
    expect(selectedLine(list)).toContain('the ␛[31mred␛[0m ␛]0;PWNED-TITLE␇ ␛]8;;https://evil.example/␇');

    pane.keys('Enter');
    const view = await pane.waitFor((s) => s.includes('lowest-probability tokens highlighted'), 'the sample view');
    const text = view.split('\n').filter((l) => l.startsWith('  ')).join(' ');
    for (const shown of ['␛[31mred␛[0m', '␛]0;PWNED-TITLE␇', '␛]8;;https://evil.example/␇click␛]8;;␇', 'bell␇', 'back␈␈xx', 'carriage␍over']) {
      expect(text).toContain(shown);
    }
    // Nothing was cleared or moved: the header is still on top of the frame.
    expect(view).toMatch(/^contam {2}target /m);
    expect(pane.display('#{pane_title}')).toBe(title);

    pane.keys('q');
    expect(await pane.waitForExit()).toBe(0);
    expect(pane.display('#{pane_title}')).toBe(title);
    expect(title).not.toMatch(/TITLE/);
  });
});
