/**
 * results.json (and the lines of samples.jsonl). Key order follows the contract's declaration order
 * (src/audit/types.ts), not whichever code built the object, so two runs diff cleanly; keys outside
 * the contract (records keyed by detector, adapter options) follow in alphabetical order.
 */
import type { AuditResults } from '../audit/types.js';

/** Key order per contract type, picked by a key only that type has; small objects use SMALL. */
const ORDERS: readonly (readonly string[])[] = [
  // AuditResults
  ['schemaVersion', 'tool', 'partial', 'startedAt', 'finishedAt', 'durationMs', 'command', 'config', 'models', 'benchmarks', 'modelCalls', 'notes', 'timing'],
  // AuditConfig (and the models pair, which shares its first two keys)
  ['target', 'reference', 'benchmarks', 'samples', 'seed', 'sampling', 'detectors', 'defaultDetectors', 'neighbours', 'prefixRatio', 'cut',
    'mode', 'earlyStop', 'thresholds', 'margins', 'failOn', 'strict', 'cache', 'outputs', 'outDir', 'onnx', 'remote'],
  // BenchmarkResult
  ['name', 'task', 'source', 'split', 'rowsRead', 'skipped', 'skippedReasons', 'samplesPlanned', 'samplesScored', 'errors',
    'errorMessages', 'cacheHits', 'neighboursScored', 'neighboursSaved', 'durationMs', 'detectors', 'verdict', 'sensitivity', 'blindBaseline', 'dataOverlap', 'notes'],
  // DataOverlap (src/audit/data-overlap.ts)
  ['scanned', 'file', 'ngram', 'checked', 'items', 'checkable', 'found', 'share', 'interval', 'coverage', 'probes'],
  // DetectorResult
  ['detector', 'contamination', 'interval', 'nullRate', 'pValue', 'control', 'difference', 'mcnemar', 'verdict', 'absoluteVerdict', 'verdictBasis',
    'verdictReason', 'samples', 'labelled'],
  // SampleRecord (samples.jsonl)
  ['id', 'benchmark', 'rowIndex', 'textHash', 'text', 'label', 'scores', 'controlScores', 'ranks', 'controlRanks', 'flags',
    'controlFlags', 'neighboursScored', 'neighboursTotal', 'lowestTokens', 'neighbourExamples', 'tokens', 'ppl'],
  // ModelInfo
  ['kind', 'id', 'name', 'location', 'fingerprint', 'weightsHashed', 'contextLength', 'vocabSize', 'details', 'traffic'],
  // Traffic
  ['inFlight', 'requests', 'retries', 'retryCauses', 'scoredTokens', 'sampledTokens', 'bytesReceived', 'clientMs'],
  // Sensitivity (src/stats/sensitivity.ts)
  ['detector', 'strongFlagRate', 'weakFlagRate', 'strongMinShare', 'weakMinShare', 'sentence'],
  // BlindBaseline (src/stats/blind-baseline.ts)
  ['auroc', 'interval', 'lengthAuroc', 'lengthInterval', 'members', 'nonMembers', 'folds', 'method', 'warning'],
  // Timing (src/audit/meter.ts), its phases and its work
  ['wallMs', 'phasesMs', 'sideBySide', 'work'],
  ['referenceSampling', 'targetScoring', 'referenceScoring', 'statistics', 'loading', 'cache'],
  ['targetTokensScored', 'referenceTokensScored', 'textsSampled'],
];
const SIGNATURE = ['schemaVersion', 'earlyStop', 'rowsRead', 'scanned', 'nullRate', 'textHash', 'weightsHashed', 'inFlight', 'strongFlagRate', 'lengthAuroc', 'wallMs', 'referenceSampling', 'targetTokensScored'];
const SMALL = [
  'name', 'version', 'id', 'task', 'path', 'url', 'model', 'apiKeyEnv', 'tokenizer', 'split', 'options', 'fingerprint', 'layout', 'dtype', 'suspicious', 'contaminated',
  'enabled', 'dir', 'reason', 'count', 'auroc', 'interval', 'tprAtFpr', 'fprAt95Tpr', 'members', 'nonMembers', 'contamination',
  'value', 'low', 'high', 'targetOnly', 'controlOnly', 'pValue', 'n', 'detector', 'verdict', 'absoluteVerdict', 'basis', 'text', 'position', 'logprob', 'scores',
];
function orderFor(obj: object): readonly string[] {
  const i = SIGNATURE.findIndex((key) => key in obj);
  if (i >= 0) return ORDERS[i];
  // The models pair {target, reference} has no signature key but sorts right with the config order.
  return 'target' in obj && 'reference' in obj ? ORDERS[1] : SMALL;
}

function sortedKeys(obj: object): string[] {
  const rank = new Map(orderFor(obj).map((key, i) => [key, i]));
  return Object.keys(obj).sort((a, b) => {
    const ra = rank.get(a) ?? Infinity;
    const rb = rank.get(b) ?? Infinity;
    if (ra !== rb) return ra < rb ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

/** A copy with object keys in stable order, recursively; arrays keep their order. */
export function orderKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(orderKeys);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of sortedKeys(value)) out[key] = orderKeys((value as Record<string, unknown>)[key]);
  return out;
}

export function resultsJson(results: AuditResults): string {
  return `${JSON.stringify(orderKeys(results), null, 2)}\n`;
}
