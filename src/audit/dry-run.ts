/**
 * What `contam audit --dry-run` prints: the benchmarks' plan (rows, skips, chosen samples), the
 * models named (never opened) and the work the audit would do. Pure: the CLI only prints.
 */
import { describePlan, type PlanJson } from '../benchmarks/plan.js';
import { specLabel, type ModelSpec } from '../models/registry.js';
import { estimateWork, totalWork, type Range, type WorkEstimate } from './estimate.js';
import type { PlannedBenchmark } from './plan.js';
import type { PlanConfig } from './types.js';

export interface DryRunJson {
  /** The models as given; null when not given (a plan needs none, an audit both). */
  readonly models: { readonly target: ModelSpec | null; readonly reference: ModelSpec | null; readonly note?: string };
  readonly benchmarks: (PlanJson['benchmarks'][number] & { readonly work: WorkEstimate })[];
  readonly work: WorkEstimate;
}

const ROLES = ['target', 'reference'] as const;

function missingNote(config: PlanConfig): string | undefined {
  const missing = ROLES.filter((r) => config[r] === undefined);
  if (missing.length === 0) return undefined;
  return `${missing.join(' and ')} not given: planned without models; the audit needs ${missing.map((r) => `--${r}`).join(' and ')}`;
}

function modelsLine(config: PlanConfig, note: string | undefined): string {
  const given = ROLES.filter((r) => config[r] !== undefined).map((r) => `${r} ${specLabel(config[r]!)}`);
  if (!note) return `models: ${given.join(', ')} (not opened by a dry run)`;
  return `models: ${given.length ? `${given.join(', ')}; ` : ''}${note}`;
}

const span = (r: Range) => (r.min === r.max ? `${r.max}` : `${r.min}-${r.max}`);

function workLine(w: WorkEstimate): string {
  return `${w.samples} samples x ${w.neighboursPerSample} neighbours: ${span(w.neighboursDrawn)} neighbours drawn, ${span(w.textsScoredPerModel)} texts scored per model, ${span(w.modelCalls)} model calls`;
}

export function describeDryRun(config: PlanConfig, planned: readonly PlannedBenchmark[]): { lines: string[]; json: DryRunJson } {
  const plan = describePlan(planned.map((p) => ({ loaded: p.loaded, selection: p.selection })));
  const works = planned.map((p) => estimateWork(config, p.selection.chosen.length));
  const work = totalWork(works, config.neighbours);
  const note = missingNote(config);
  const lines = [
    modelsLine(config, note),
    ...plan.lines,
    `work: ${workLine(work)}`,
    '  (fewest when early stopping decides every sample at its first draw; calls as a local model makes them, an engine merges some; cached samples cost none)',
  ];
  return {
    lines,
    json: {
      models: { target: config.target ?? null, reference: config.reference ?? null, ...(note ? { note } : {}) },
      benchmarks: plan.json.benchmarks.map((b, i) => ({ ...b, work: works[i] })),
      work,
    },
  };
}
