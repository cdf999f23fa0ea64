/**
 * `npm run calibrate` (issue 17, "sensitivity you can state"): a real audit of every calibration case
 * (src/demo/calibration.ts) at contamination levels 0/10/25/50/100% under strong and weak memorisation,
 * plus a twin per strength, and per detector the share of memorised items flagged, the share of clean
 * items flagged, the benchmark and control shares and the labelled AUROC. Writes bench/calibration.json
 * and bench/calibration.md (calibration-table.ts) and prints the Markdown.
 *
 *   npm run calibrate
 *   options: --items N (150) --neighbours M (50) --seed S (0) --cache DIR (.cache/calibration) --out-dir DIR (bench)
 *
 * Models are cached by their parameters, so a second run only repeats the audits.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { runAudit } from '../src/audit/run.js';
import type { SampleRecord } from '../src/audit/types.js';
import { DEFAULTS } from '../src/cli/config.js';
import { buildCalibrationCase, MEMORISATION, type CalibrationCase } from '../src/demo/calibration.js';
import { benchAuditConfig } from './audit-config.js';
import { calibrationMarkdown, pickPrimary, type CalibrationResults, type CaseMeasure, type DetectorMeasure } from './calibration-table.js';
import type { CalibrationRates, FlagCount } from '../src/stats/sensitivity.js';

// lowercase is left out as in the demo: the demo vocabulary is case-sensitive, lowercased names become <unk>.
const DETECTORS = ['loss', 'zlib', 'min-k', 'min-k-plus-plus'];
const LEVELS = [0, 0.1, 0.25, 0.5, 1];
const STRENGTHS = ['strong', 'weak'] as const;

const log = (line: string) => process.stderr.write(`${line}\n`);

function parseArgs(argv: readonly string[]) {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    items: Number(value('--items') ?? 150),
    neighbours: Number(value('--neighbours') ?? 50),
    seed: Number(value('--seed') ?? 0),
    cache: resolve(value('--cache') ?? join('.cache', 'calibration')),
    outDir: resolve(value('--out-dir') ?? 'bench'),
  };
}

function measure(detector: string, records: readonly SampleRecord[], result: { contamination: number; control: { contamination: number }; labelled?: { auroc: number } }): DetectorMeasure {
  const members = records.filter((r) => r.label === 'member');
  const nonMembers = records.filter((r) => r.label !== 'member');
  const membersFlagged = members.filter((r) => r.flags[detector]).length;
  const nonMembersFlagged = nonMembers.filter((r) => r.flags[detector]).length;
  return {
    detector,
    members: members.length,
    membersFlagged,
    nonMembers: nonMembers.length,
    nonMembersFlagged,
    tpr: members.length ? membersFlagged / members.length : null,
    falseAlarm: nonMembers.length ? nonMembersFlagged / nonMembers.length : null,
    share: result.contamination,
    control: result.control.contamination,
    auroc: result.labelled?.auroc ?? null,
  };
}

async function auditCase(c: CalibrationCase, args: ReturnType<typeof parseArgs>) {
  const config = benchAuditConfig({
    target: c.targetDir,
    reference: c.referenceDir,
    benchmarks: [c.benchmark],
    detectors: DETECTORS,
    samples: args.items,
    neighbours: args.neighbours,
    seed: args.seed,
    failOn: 'never',
  });
  const { results, samples } = await runAudit(config);
  const bench = results.benchmarks[0];
  if (bench.errors > 0) throw new Error(`${c.benchmark.name}: ${bench.errors} samples failed (first: ${bench.errorMessages[0]})`);
  return { detectors: bench.detectors, samples, nullRate: bench.detectors[0].nullRate };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  mkdirSync(args.cache, { recursive: true });
  const plan = STRENGTHS.flatMap((strength) => [...LEVELS.map((level) => ({ strength, level, twin: false })), { strength, level: 1, twin: true }]);
  const cases: CaseMeasure[] = [];
  let nullRate = NaN;
  for (const p of plan) {
    const t0 = Date.now();
    const c = buildCalibrationCase({ dir: args.cache, items: args.items, memberFraction: p.level, strength: p.strength, twin: p.twin });
    const t1 = Date.now();
    const audit = await auditCase(c, args);
    const t2 = Date.now();
    nullRate = audit.nullRate;
    const detectors = DETECTORS.map((d) => measure(d, audit.samples, audit.detectors.find((x) => x.detector === d)!));
    cases.push({ name: c.benchmark.name, strength: p.strength, level: p.level, twin: p.twin, items: audit.samples.length, members: c.members, buildMs: t1 - t0, auditMs: t2 - t1, detectors });
    const loss = detectors[0];
    log(`${p.strength} ${c.benchmark.name}: ${c.built ? 'built' : 'cached'} ${((t1 - t0) / 1000).toFixed(1)} s, audit ${((t2 - t1) / 1000).toFixed(1)} s; loss flags ${loss.membersFlagged}/${loss.members} members, ${loss.nonMembersFlagged}/${loss.nonMembers} clean`);
  }
  const results: CalibrationResults = {
    schemaVersion: 1,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    machine: `${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.versions.node}`,
    settings: { items: args.items, neighbours: args.neighbours, cut: DEFAULTS.cut, seed: args.seed, detectors: DETECTORS },
    memorisation: MEMORISATION,
    nullRate,
    cases,
  };
  const markdown = calibrationMarkdown(results);
  mkdirSync(args.outDir, { recursive: true });
  writeFileSync(join(args.outDir, 'calibration.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(args.outDir, 'calibration.md'), markdown);
  // The pooled rates every report's sensitivity sentence reads (src/stats/sensitivity.ts).
  writeFileSync(new URL('../../references/calibration-rates.json', import.meta.url), `${JSON.stringify(calibrationRates(results), null, 2)}\n`);
  process.stdout.write(markdown);
  log(`calibration: ${cases.length} cases in ${(results.durationMs / 1000).toFixed(0)} s; primary detector: ${pickPrimary(results).detector ?? 'none'}`);
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});

/** Members flagged per detector and strength, pooled over the 10-100% cases (twins and 0% have none). */
function calibrationRates(results: CalibrationResults): CalibrationRates {
  const detectors: Record<string, { strong: FlagCount; weak: FlagCount }> = {};
  const aurocs: number[] = [];
  for (const c of results.cases) {
    if (c.twin || c.level === 0) continue;
    for (const d of c.detectors) {
      const entry = (detectors[d.detector] ??= { strong: { members: 0, flagged: 0 }, weak: { members: 0, flagged: 0 } });
      const slot = entry[c.strength as 'strong' | 'weak'];
      entry[c.strength as 'strong' | 'weak'] = { members: slot.members + d.members, flagged: slot.flagged + d.membersFlagged };
      if (c.strength === 'weak' && d.detector === 'loss' && d.auroc !== null) aurocs.push(d.auroc);
    }
  }
  return {
    schemaVersion: 1,
    measured: `npm run calibrate, ${results.startedAt.slice(0, 10)}: ${results.settings.items} items, ${results.settings.neighbours} neighbours per case; see bench/calibration.md`,
    weakLossAuroc: Math.round((aurocs.reduce((a, b) => a + b, 0) / aurocs.length) * 1e4) / 1e4,
    detectors,
  };
}
