/**
 * The detectors a user can name, and the one place that turns `min-k:k=0.2` into a Detector.
 * Spec grammar: `<id>` or `<id>:<name>=<number>[,<name>=<number>...]`.
 * Configuration mistakes are FatalErrors whose one-line message names the value and the valid choices.
 */
import { FatalError } from '../errors.js';
import type { Detector } from './types.js';
import { loss } from './loss.js';
import { lowercase } from './lowercase.js';
import { minK } from './min-k.js';
import { minKPlusPlus } from './min-k-plus-plus.js';
import { reference } from './reference.js';
import { zlib } from './zlib.js';

export type DetectorParams = Readonly<Record<string, number>>;

export interface DetectorInfo {
  readonly id: string;
  readonly summary: string;
  /** Parameter names with their defaults; any other name is rejected. */
  readonly defaults: DetectorParams;
  readonly create: (params: DetectorParams) => Detector;
}

const DETECTORS: readonly DetectorInfo[] = [
  { id: 'loss', summary: 'negated mean NLL of the text', defaults: {}, create: () => loss() },
  { id: 'zlib', summary: 'negated NLL per zlib-compressed byte', defaults: {}, create: () => zlib() },
  { id: 'lowercase', summary: 'NLL of the lowercased text over NLL of the text', defaults: {}, create: () => lowercase() },
  { id: 'reference', summary: 'reference NLL minus target NLL', defaults: {}, create: () => reference() },
  { id: 'min-k', summary: 'mean of the lowest k fraction of token log-probs', defaults: { k: 0.2 }, create: (p) => minK({ k: p.k }) },
  {
    id: 'min-k-plus-plus',
    summary: 'mean of the lowest k fraction of standardised token log-probs',
    defaults: { k: 0.2 },
    create: (p) => minKPlusPlus({ k: p.k }),
  },
];

export function listDetectors(): readonly DetectorInfo[] {
  return DETECTORS;
}

const validIds = (): string => DETECTORS.map((d) => d.id).join(', ');

function findDetector(id: string): DetectorInfo {
  const info = DETECTORS.find((d) => d.id === id);
  if (!info) throw new FatalError(`unknown detector "${id}"; valid detectors: ${validIds()}`);
  return info;
}

export function createDetector(id: string, params: DetectorParams = {}): Detector {
  const info = findDetector(id);
  const known = Object.keys(info.defaults);
  for (const name of Object.keys(params)) {
    if (!known.includes(name)) {
      const valid = known.length ? `valid parameters: ${known.join(', ')}` : 'it takes no parameters';
      throw new FatalError(`detector ${id}: unknown parameter "${name}"; ${valid}`);
    }
  }
  // The factories validate ranges themselves, so a direct call is as safe as a spec.
  return info.create({ ...info.defaults, ...params });
}

/** `min-k:k=0.2` -> the Min-K% detector with k = 0.2. */
export function parseDetectorSpec(spec: string): Detector {
  const colon = spec.indexOf(':');
  const id = (colon === -1 ? spec : spec.slice(0, colon)).trim();
  findDetector(id); // name the unknown detector before complaining about its parameters
  const params: Record<string, number> = {};
  if (colon !== -1) {
    for (const part of spec.slice(colon + 1).split(',')) {
      const eq = part.indexOf('=');
      const name = part.slice(0, eq).trim();
      const raw = part.slice(eq + 1).trim();
      const value = Number(raw);
      if (eq <= 0 || raw === '' || !Number.isFinite(value)) {
        throw new FatalError(`detector spec "${spec}": "${part}" is not <name>=<number>, e.g. min-k:k=0.2`);
      }
      params[name] = value;
    }
  }
  return createDetector(id, params);
}
