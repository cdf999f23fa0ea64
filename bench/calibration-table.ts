/**
 * bench/calibration.json and its Markdown tables (issue 17): what each detector's neighbour rank flags
 * on calibration cases whose members are known. Pure: measurements in, text out. The primary-detector
 * rule lives here too, so the table and the choice it justifies cannot drift apart.
 */

/** One detector on one case. Shares are of scored items; null where the case has no such items. */
export interface DetectorMeasure {
  readonly detector: string;
  readonly members: number;
  readonly membersFlagged: number;
  readonly nonMembers: number;
  readonly nonMembersFlagged: number;
  /** Share of memorised items flagged (item-level true-positive rate). */
  readonly tpr: number | null;
  /** Share of clean items flagged (item-level false-alarm rate). */
  readonly falseAlarm: number | null;
  /** The benchmark's contamination share, as the audit reports it. */
  readonly share: number;
  /** The same with the reference in the target's seat. */
  readonly control: number;
  /** AUROC of this detector's raw score, members vs non-members (the audit's labelled evaluation). */
  readonly auroc: number | null;
}

export interface CaseMeasure {
  readonly name: string;
  readonly strength: string;
  /** Share of the benchmark the target saw; for a twin, the share of other items it saw instead. */
  readonly level: number;
  readonly twin: boolean;
  readonly items: number;
  readonly members: number;
  readonly buildMs: number;
  readonly auditMs: number;
  readonly detectors: readonly DetectorMeasure[];
}

export interface CalibrationResults {
  readonly schemaVersion: 1;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly machine: string;
  readonly settings: { readonly items: number; readonly neighbours: number; readonly cut: number; readonly seed: number; readonly detectors: readonly string[] };
  /** How each strength was built (calibration.ts MEMORISATION). */
  readonly memorisation: Readonly<Record<string, { readonly repeats: number; readonly retold: number; readonly discount?: number }>>;
  /** Share flagged when original and neighbours are exchangeable (the audit's nullRate): the false-alarm bar. */
  readonly nullRate: number;
  readonly cases: readonly CaseMeasure[];
}

export interface DetectorStanding {
  readonly detector: string;
  /** The highest false-alarm rate over every case, twins and 0% included. */
  readonly worstFalseAlarm: number;
  /** Memorised items flagged, pooled over the contaminated cases of one strength. */
  readonly tpr: Readonly<Record<string, { readonly flagged: number; readonly of: number }>>;
  readonly eligible: boolean;
}

export interface PrimaryChoice {
  readonly detector: string | null;
  /** Eligible detectors the data cannot tell from the choice (the list's order decided among them). */
  readonly tiedWith: readonly string[];
  readonly standings: readonly DetectorStanding[];
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

/** Two shares of n items each are told apart when they differ by more than two standard errors. */
function withinNoise(a: { flagged: number; of: number }, b: { flagged: number; of: number }): boolean {
  const [p, q] = [ratio(a.flagged, a.of), ratio(b.flagged, b.of)];
  const se = Math.sqrt((p * (1 - p)) / Math.max(1, a.of) + (q * (1 - q)) / Math.max(1, b.of));
  return Math.abs(p - q) <= 2 * se;
}

/**
 * The default primary detector: among those whose false-alarm rate stays at or below the null in every
 * case, keep the ones within noise of the most sensitive under weak memorisation (under strong, every
 * detector nearly saturates), then under strong; of what is left, the first in the configured order
 * (the CLI lists loss, the upstream statistic, first).
 */
export function pickPrimary(results: CalibrationResults): PrimaryChoice {
  const strengths = [...new Set(results.cases.map((c) => c.strength))];
  const standings = results.settings.detectors.map((detector): DetectorStanding => {
    const cells = results.cases.map((c) => c.detectors.find((d) => d.detector === detector)!);
    const worstFalseAlarm = Math.max(0, ...cells.map((d) => d.falseAlarm ?? 0));
    const tpr = Object.fromEntries(
      strengths.map((s) => {
        const own = results.cases.filter((c) => c.strength === s).map((c) => c.detectors.find((d) => d.detector === detector)!);
        return [s, { flagged: own.reduce((n, d) => n + d.membersFlagged, 0), of: own.reduce((n, d) => n + d.members, 0) }];
      }),
    );
    return { detector, worstFalseAlarm, tpr, eligible: worstFalseAlarm <= results.nullRate };
  });
  let left = standings.filter((s) => s.eligible);
  for (const strength of ['weak', 'strong'].filter((x) => strengths.includes(x))) {
    const share = (s: DetectorStanding) => ratio(s.tpr[strength].flagged, s.tpr[strength].of);
    const best = [...left].sort((a, b) => share(b) - share(a))[0];
    if (best) left = left.filter((s) => withinNoise(s.tpr[strength], best.tpr[strength]));
  }
  return { detector: left[0]?.detector ?? null, tiedWith: left.slice(1).map((s) => s.detector), standings };
}

const fixed = (x: number | null) => (x === null || Number.isNaN(x) ? '–' : x.toFixed(2));
const percent = (x: number) => `${Math.round(x * 100)}%`;
const columnName = (c: CaseMeasure) => (c.twin ? `twin ${percent(c.level)}` : percent(c.level));

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

function strengthSection(results: CalibrationResults, strength: string): string[] {
  const cases = results.cases.filter((c) => c.strength === strength);
  const m = results.memorisation[strength];
  const how = `${m.repeats} ${m.repeats === 1 ? 'copy' : 'copies'} per member, ${m.retold === 0 ? 'verbatim' : `${percent(m.retold)} of its choices redrawn`}, target discount ${m.discount ?? 0.75}`;
  const cell = (d: DetectorMeasure) => `${fixed(d.tpr)} (${fixed(d.falseAlarm)})`;
  const lossAuroc = ['loss AUROC, members vs non-members', ...cases.map((c) => fixed(c.detectors.find((d) => d.detector === 'loss')?.auroc ?? null))];
  return [
    `### ${strength} memorisation (${how})`,
    '',
    'Share of memorised items flagged (false-alarm rate on clean items):',
    '',
    ...table(['detector', ...cases.map(columnName)], [
      ...results.settings.detectors.map((det) => [det, ...cases.map((c) => cell(c.detectors.find((d) => d.detector === det)!))]),
      lossAuroc,
    ]),
    '',
    'Benchmark share / control share:',
    '',
    ...table(['detector', ...cases.map(columnName)], results.settings.detectors.map((det) => [det, ...cases.map((c) => {
      const d = c.detectors.find((x) => x.detector === det)!;
      return `${fixed(d.share)} / ${fixed(d.control)}`;
    })])),
    '',
  ];
}

export function calibrationMarkdown(results: CalibrationResults): string {
  const s = results.settings;
  const choice = pickPrimary(results);
  const strengths = [...new Set(results.cases.map((c) => c.strength))];
  const minutes = (results.durationMs / 60000).toFixed(1);
  return [
    '# Calibration: what the neighbour rank can see',
    '',
    `Generated by \`npm run calibrate\` (bench/calibrate.ts) on ${results.startedAt.slice(0, 10)}, ${results.machine}, in ${minutes} min. ` +
      `Each case: a benchmark of ${s.items} demo-style items, a reference trained on the background only, and a target that also saw the given share of the items ` +
      `(src/demo/calibration.ts); a twin's target saw as many *other* items of the same style, so its benchmark is clean. ` +
      `A real audit per case: ${s.neighbours} neighbours, cut ${s.cut}, seed ${s.seed}, control on. An item is flagged when its neighbour rank s < ${s.cut}; ` +
      `the exchangeable null flags ${fixed(results.nullRate)} of clean items.`,
    '',
    ...strengths.flatMap((strength) => strengthSection(results, strength)),
    '## Primary detector',
    '',
    `Rule: among detectors whose false-alarm rate is at most the null (${fixed(results.nullRate)}) in every case (twins and 0% included), ` +
      'keep those within two standard errors of the most weakly memorised items flagged (pooled over 10-100%), then likewise under strong memorisation; ' +
      'of what is left, the first in the CLI\'s detector order.',
    '',
    ...table(['detector', 'worst false-alarm rate', ...strengths.map((x) => `memorised flagged (${x})`), 'eligible'], choice.standings.map((d) => [
      d.detector,
      fixed(d.worstFalseAlarm),
      ...strengths.map((x) => `${fixed(ratio(d.tpr[x].flagged, d.tpr[x].of))} (${d.tpr[x].flagged}/${d.tpr[x].of})`),
      d.eligible ? 'yes' : 'no',
    ])),
    '',
    choice.detector
      ? `Most sensitive at a false-alarm rate within the null: **${choice.detector}**${choice.tiedWith.length ? ` (within noise of ${choice.tiedWith.join(', ')}; first in order)` : ''}.`
      : 'No detector kept its false-alarm rate within the null in every case.',
    '',
  ].join('\n');
}
