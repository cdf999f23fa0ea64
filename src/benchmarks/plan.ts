import type { LoadedBenchmark, Selection } from './load.js';

export interface PlanEntry {
  readonly loaded: LoadedBenchmark;
  readonly selection: Selection;
}

export interface PlanJson {
  readonly benchmarks: {
    readonly benchmark: string;
    readonly taskVersion: string;
    readonly split: string;
    readonly files: readonly string[];
    readonly rowsRead: number;
    readonly valid: number;
    readonly skipped: { readonly count: number; readonly rows: readonly { file: string; location: string; reason: string }[] };
    readonly sampling: string;
    readonly seed: number;
    readonly note?: string;
    readonly chosen: readonly { id: string; rowIndex: number; textHash: string; text: string }[];
  }[];
}

/** How many skip messages the plain plan shows per benchmark before summarising the rest. */
const SHOWN_SKIPS = 5;

/**
 * What `contam audit --dry-run` prints, as data: plain lines for a terminal and the JSON
 * payload for `--json` (every chosen sample's id, row index and exact scored text).
 * Pure, so the CLI only prints and tests assert whole values.
 */
export function describePlan(entries: readonly PlanEntry[]): { lines: string[]; json: PlanJson } {
  const lines: string[] = [];
  for (const { loaded, selection } of entries) {
    const files = loaded.files.length === 1 ? loaded.files[0] : `${loaded.files.length} files`;
    lines.push(
      `${loaded.benchmark} (${loaded.split}, ${files}): ${loaded.rowsRead} rows read, ${loaded.skipped.length} skipped, ` +
        `${selection.chosen.length} chosen (${selection.sampling}, seed ${selection.seed})`,
    );
    for (const row of loaded.skipped.slice(0, SHOWN_SKIPS)) lines.push(`  skipped ${row.message}`);
    if (loaded.skipped.length > SHOWN_SKIPS) lines.push(`  … and ${loaded.skipped.length - SHOWN_SKIPS} more skipped rows`);
    if (selection.note) lines.push(`  note: ${selection.note}`);
  }
  const benchmarks = entries.map(({ loaded, selection }) => ({
    benchmark: loaded.benchmark,
    taskVersion: loaded.taskVersion,
    split: loaded.split,
    files: loaded.files,
    rowsRead: loaded.rowsRead,
    valid: loaded.samples.length,
    skipped: { count: loaded.skipped.length, rows: loaded.skipped.map(({ file, location, reason }) => ({ file, location, reason })) },
    sampling: selection.sampling,
    seed: selection.seed,
    ...(selection.note ? { note: selection.note } : {}),
    chosen: selection.chosen.map(({ id, rowIndex, textHash, text }) => ({ id, rowIndex, textHash, text })),
  }));
  return { lines, json: { benchmarks } };
}
