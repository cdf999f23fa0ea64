import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { FatalError } from '../../errors.js';

export type ShardFormat = 'parquet' | 'jsonl' | 'csv';

/** One shard of a Hugging Face dataset folder. */
export interface HfShard {
  readonly config: string;
  readonly split: string;
  readonly format: ShardFormat;
  readonly path: string;
  readonly display: string;
}

/**
 * JSON Lines and CSV shards count only under the Hub's shard name (`test-00000-of-00001.jsonl`):
 * any `.csv` would take the hendrycks MMLU files (`anatomy_test.csv`) for a split of their own.
 */
const TEXT_SHARD = /^\w+-\d{5}-of-\d{5}\.(jsonl|csv)$/;

function shardFormat(name: string): ShardFormat | undefined {
  if (name.endsWith('.parquet')) return 'parquet';
  return TEXT_SHARD.exec(name)?.[1] as ShardFormat | undefined;
}

/**
 * Finds the shards of a dataset folder in the layouts the Hub uses:
 * `<config>/<split>-00000-of-00001.parquet`, `data/<split>-*.parquet` (config "default"),
 * `<split>-*.parquet` at the top, and the parquet-converter's `<config>/<split>/0000.parquet`;
 * and the same places for `<split>-0000N-of-0000M.jsonl` and `.csv` shards.
 */
export function listHfShards(root: string): HfShard[] {
  const shards: HfShard[] = [];
  const walk = (dir: string, depth: number): void => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.')) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (depth < 3) walk(path, depth + 1);
      } else {
        const format = shardFormat(name);
        if (!format) continue;
        const parts = relative(root, path).split(sep);
        shards.push({ ...shardName(parts), format, path, display: parts.join('/') });
      }
    }
  };
  walk(root, 0);
  return shards;
}

function shardName(parts: string[]): { config: string; split: string } {
  const file = parts[parts.length - 1];
  const dirs = parts.slice(0, -1);
  if (/^\d+\.parquet$/.test(file) && dirs.length >= 1) {
    return { split: dirs[dirs.length - 1], config: dirs.length >= 2 ? dirs[dirs.length - 2] : 'default' };
  }
  // Split names are word characters only, so the split is everything before the first "-" or ".".
  const split = file.replace(/\.(parquet|jsonl|csv)$/, '').split('-')[0];
  const config = dirs.length === 0 || dirs[dirs.length - 1] === 'data' ? 'default' : dirs[dirs.length - 1];
  return { config, split };
}

const FORMAT_PREFERENCE: readonly ShardFormat[] = ['parquet', 'jsonl', 'csv'];

/** Picks the shards of one config and split, or fails listing what the folder does hold. */
export function pickShards(root: string, shards: HfShard[], split: string, config?: string, defaultConfig?: string): HfShard[] {
  const configs = [...new Set(shards.map((s) => s.config))].sort();
  let chosen = config;
  if (chosen === undefined) {
    if (configs.length === 1) chosen = configs[0];
    else if (defaultConfig && configs.includes(defaultConfig)) chosen = defaultConfig;
    else throw new FatalError(`${root}: expected a config to be chosen, found several; valid choices: ${configs.join(', ')}`);
  } else if (!configs.includes(chosen)) {
    throw new FatalError(`${root}: config "${chosen}" not found; valid choices: ${configs.join(', ')}`);
  }
  const inConfig = shards.filter((s) => s.config === chosen);
  const picked = inConfig.filter((s) => s.split === split);
  if (picked.length === 0) {
    const splits = [...new Set(inConfig.map((s) => s.split))].sort();
    throw new FatalError(`${root}: split "${split}" not found in config "${chosen}"; valid choices: ${splits.join(', ')}`);
  }
  // A split exported twice (Parquet beside its JSON Lines twin) is read once, from the typed format.
  const format = FORMAT_PREFERENCE.find((f) => picked.some((s) => s.format === f));
  return picked.filter((s) => s.format === format);
}
