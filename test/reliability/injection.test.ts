/**
 * Issue #9: dataset and config text carrying terminal escapes (CSI, OSC title changes, OSC 8
 * hyperlinks), BEL, backspaces and carriage returns reaches the plain logs only as visible text
 * (␛, ␇, ␈, ␍), and report.md escapes table-breaking and HTML characters so every table row keeps
 * its cells. The data itself is kept verbatim in samples.jsonl.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeAuditFixture, type AuditFixture } from '../helpers/audit-fixture.js';
import { tables } from '../report/md-parse.js';
import { auditArgs, readJson, runCli, tempDir, type CliRun } from './cli-helpers.js';

const ESC = '\u001b';
const BEL = '\u0007';
const BS = '\u0008';
const CR = '\r';

/** Every hostile piece at once: colour, screen clear, title change, hyperlink, bell, backspaces, CR, C1 CSI. */
export const HOSTILE =
  `${ESC}[31mred${ESC}[0m ${ESC}[2J ${ESC}]0;PWNED-TITLE${BEL} ${ESC}]8;;https://evil.example/${BEL}click${ESC}]8;;${BEL} ` +
  `bell${BEL} back${BS}${BS}xx carriage${CR}over \u009b31mcsi`;
// Text that would break a Markdown table or inject HTML if copied into a cell unescaped.
const MARKDOWN = '| pipe `tick` <script>alert(1)</script> <img src=x onerror=alert(2)>';
const NAME = `evil${MARKDOWN}\nsecond line ${ESC}]0;NAME-TITLE${BEL}`;

/** Raw bytes a terminal would act on: C0 except \n, DEL, and C1. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

let root: string;
let fx: AuditFixture;
let run: CliRun;
let out: string;
let rows: { text: unknown; label: unknown }[];

beforeAll(async () => {
  root = tempDir('injection');
  fx = await writeAuditFixture(join(root, 'fixture'), { rows: 2 });
  rows = [
    ...Array.from({ length: 5 }, (_, i) => ({ text: `the number of people who came to the house was ${i} ?`, label: i % 2 })),
    // Scored: its text goes to samples.jsonl and the drill-down.
    { text: `the ${HOSTILE} ${MARKDOWN} end`, label: 1 },
    // Too long for --max-tokens: a sample error whose line echoes the sample id (and so the name).
    { text: Array.from({ length: 80 }, () => 'word').join(' '), label: 0 },
    // Skipped: the reason quotes the bad label.
    { text: 'a skipped row', label: `${HOSTILE}${MARKDOWN}` },
  ];
  // The file name is hostile too: it ends up in the report's Source cell and in the skip warning.
  const data = join(root, `rows|\`tick\`<b>${ESC}[1m.jsonl`);
  writeFileSync(data, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const config = join(root, 'contam.config.yaml');
  // JSON is YAML: the escapes (\u001b, \r, \n) are read back as the raw characters.
  writeFileSync(config, JSON.stringify({ benchmarks: [{ name: NAME, task: 'custom', path: data, options: { template: '{text}', labelField: 'label' } }] }));
  out = join(root, 'out');
  run = await runCli(auditArgs(fx, ['-c', config, '--max-tokens', '40', '--fail-on', 'never', '--no-cache', '--out-dir', out]));
});

describe('hostile text in plain logs', () => {
  it('finishes, and no raw ESC, BEL, BS, CR or C1 byte reaches stdout or stderr', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(RAW_CONTROL);
    expect(run.stdout).not.toMatch(RAW_CONTROL);
  });

  it('shows the hostile pieces as visible stand-ins in the warning and error lines', () => {
    const shownName = 'evil| pipe `tick` <script>alert(1)</script> <img src=x onerror=alert(2)>↵second line ␛]0;NAME-TITLE␇';
    const lines = run.stderr.split('\n');
    expect(lines).toContain(`[${shownName}] started: 7 samples`);
    expect(lines.filter((l) => l.startsWith(`[${shownName}] error on ${shownName}/test/6: `))).toHaveLength(1);
    // The skip reason quotes the label as JSON, so its controls are escapes before they are even sanitized.
    const skipped = lines.find((l) => l.startsWith(`warning: ${shownName}: 1 rows skipped`));
    expect(skipped).toContain('\\u001b[31mred');
    // The summary table on stdout shows the name on one line too.
    expect(run.stdout.split('\n').filter((l) => l.startsWith('evil| pipe `tick` <script>alert… '))).toHaveLength(5);
    // The data file's name is echoed too (in the skip warning), as visible text.
    expect(skipped).toContain(`rows|\`tick\`<b>␛[1m.jsonl line 8: field "label"`);
  });

  it('keeps the data verbatim in samples.jsonl', () => {
    const records = readFileSync(join(out, 'samples.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { text: string; benchmark: string });
    expect(records.map((r) => r.text)).toContain(rows[5].text);
    expect(records.every((r) => r.benchmark === NAME)).toBe(true);
    expect((readJson(join(out, 'results.json')).benchmarks as { name: string }[])[0].name).toBe(NAME);
  });
});

describe('hostile text in report.md', () => {
  let md: string;
  beforeAll(() => {
    md = readFileSync(join(out, 'report.md'), 'utf8');
  });

  it('holds no raw control character and no HTML tag', () => {
    expect(md).not.toMatch(RAW_CONTROL);
    expect(md).not.toMatch(/<\/?[A-Za-z!?]/);
    expect(md).not.toContain('second line\n');
  });

  it('keeps every table row at its header width', () => {
    const all = tables(md);
    expect(all.length).toBeGreaterThan(3);
    for (const table of all) for (const row of table) expect(row).toHaveLength(table[0].length);
  });

  it('shows the benchmark name escaped in one results-table cell', () => {
    const results = tables(md).find((t) => t[0][0] === 'Model')!;
    expect(results).toHaveLength(4); // header, separator, target, control
    expect(results[0][1]).toBe(
      'evil\\| pipe \\`tick\\` &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt; second line ␛\\]0;NAME-TITLE␇',
    );
    expect(results[0]).toHaveLength(2);
  });

  it('escapes the skip reason and the file name in the details table, and the name in its heading', () => {
    const skipped = tables(md).flatMap((t) => t.filter((row) => row[0] === 'Skipped'));
    expect(skipped).toEqual([['Skipped', '1 (field "label": expected a member/non-member label (1/0, true/false, "member"/"n…: 1)']]);
    const source = tables(md).flatMap((t) => t.filter((row) => row[0] === 'Source'));
    // Outside the working folder, a local path is shortened to its last two parts (no machine paths in report.md).
    expect(source).toEqual([['Source', `…/${basename(root)}/rows\\|\\\`tick\\\`&lt;b&gt;␛\\[1m.jsonl (split test)`]]);
    const heading = md.split('\n').filter((l) => l.startsWith('### evil'));
    expect(heading).toEqual(['### evil\\| pipe \\`tick\\` &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt; second line ␛\\]0;NAME-TITLE␇']);
  });
});
