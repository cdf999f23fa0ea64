/**
 * Where the user is in the dashboard, and how a key moves them: a pure reducer so key handling is
 * testable without a terminal. The selected sample is remembered by id, not index, because the
 * suspicion order changes while samples keep arriving.
 */

export type View = 'table' | 'samples' | 'sample';

export interface NavState {
  readonly view: View;
  /** Index into the benchmark list. */
  readonly benchmark: number;
  /** Selected sample id in the samples list; undefined means the first (most suspicious). */
  readonly sampleId?: string;
  /** First visible line of the text in the sample view. */
  readonly textScroll: number;
}

export type NavKey = 'up' | 'down' | 'page-up' | 'page-down' | 'home' | 'end' | 'enter' | 'back';

export interface NavContext {
  readonly benchmarks: number;
  /** The selected benchmark's sample ids in display (suspicion) order. */
  readonly sampleIds: readonly string[];
  /** Rows a page key moves. */
  readonly page: number;
  /** Largest useful text scroll in the sample view (wrapped lines minus visible lines). */
  readonly maxTextScroll?: number;
}

export const initialNav: NavState = { view: 'table', benchmark: 0, textScroll: 0 };

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/** The selected sample's index in `sampleIds` (0 when none is chosen or it vanished). */
export function selectedSampleIndex(nav: NavState, sampleIds: readonly string[]): number {
  const index = nav.sampleId === undefined ? -1 : sampleIds.indexOf(nav.sampleId);
  return index === -1 ? 0 : index;
}

function moveBy(key: NavKey, page: number): number | 'first' | 'last' | undefined {
  switch (key) {
    case 'up':
      return -1;
    case 'down':
      return 1;
    case 'page-up':
      return -page;
    case 'page-down':
      return page;
    case 'home':
      return 'first';
    case 'end':
      return 'last';
    default:
      return undefined;
  }
}

function moved(current: number, step: number | 'first' | 'last', count: number): number {
  if (step === 'first') return 0;
  if (step === 'last') return Math.max(0, count - 1);
  return clamp(current + step, 0, Math.max(0, count - 1));
}

export function navigate(nav: NavState, key: NavKey, context: NavContext): NavState {
  const step = moveBy(key, Math.max(1, context.page));
  switch (nav.view) {
    case 'table':
      if (step !== undefined) return { ...nav, benchmark: moved(nav.benchmark, step, context.benchmarks) };
      if (key === 'enter' && context.benchmarks > 0) return { ...nav, view: 'samples', sampleId: undefined };
      return nav;
    case 'samples': {
      if (step !== undefined) {
        if (context.sampleIds.length === 0) return nav;
        const index = moved(selectedSampleIndex(nav, context.sampleIds), step, context.sampleIds.length);
        return { ...nav, sampleId: context.sampleIds[index] };
      }
      if (key === 'enter' && context.sampleIds.length > 0) {
        const sampleId = context.sampleIds[selectedSampleIndex(nav, context.sampleIds)];
        return { ...nav, view: 'sample', sampleId, textScroll: 0 };
      }
      if (key === 'back') return { ...nav, view: 'table' };
      return nav;
    }
    case 'sample': {
      const max = context.maxTextScroll ?? Number.MAX_SAFE_INTEGER;
      if (step !== undefined) return { ...nav, textScroll: moved(nav.textScroll, step === 'last' ? max - nav.textScroll : step, max + 1) };
      if (key === 'back') return { ...nav, view: 'samples' };
      return nav;
    }
  }
}
