/**
 * The scan's progress for the Ink frame: the latest value only (a frame shows where the scan is,
 * not its history), kept so a frame mounted after the first report still starts from it.
 */
import type { ScanProgress } from '../../overlap/scan.js';

export interface ProgressFeed {
  readonly push: (progress: ScanProgress) => void;
  /** The scan is over: the frame shows its last figures as final. */
  readonly finish: () => void;
  readonly subscribe: (listener: () => void) => () => void;
  readonly latest: () => { readonly progress?: ScanProgress; readonly done: boolean };
}

export function createProgressFeed(): ProgressFeed {
  let state: { progress?: ScanProgress; done: boolean } = { done: false };
  const listeners = new Set<() => void>();
  const notify = (): void => listeners.forEach((l) => l());
  return {
    push(progress) {
      state = { progress, done: state.done };
      notify();
    },
    finish() {
      state = { ...state, done: true };
      notify();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    latest: () => state,
  };
}
