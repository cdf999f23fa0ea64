/** Messages between a model worker (model-worker.ts) and its proxy (worker-backend.ts). */
import { FatalError } from '../../errors.js';
import { ModelOutputError, type BackendCapabilities, type BackendInfo, type ModelBackend } from '../backend.js';

export interface WorkerSetup {
  readonly path: string;
  /** OnnxOptions, as plain data. */
  readonly options: Readonly<Record<string, unknown>>;
}

type Args<M extends keyof ModelBackend> = ModelBackend[M] extends (...a: infer A) => unknown ? A : never;

export type WorkerCall =
  | { readonly id: number; readonly method: 'tokenize'; readonly args: Args<'tokenize'> }
  | { readonly id: number; readonly method: 'tokenTexts'; readonly args: Args<'tokenTexts'> }
  | { readonly id: number; readonly method: 'score'; readonly args: Args<'score'> }
  | { readonly id: number; readonly method: 'sample'; readonly args: Args<'sample'> }
  | { readonly id: number; readonly method: 'close'; readonly args: [] };

/** An error as it crosses the thread: the classes the audit tells apart survive. */
export interface ErrorRecord {
  readonly kind: 'fatal' | 'model-output' | 'other';
  readonly message: string;
  readonly exitCode?: number;
  readonly stack?: string;
}

export type WorkerReply =
  | { readonly type: 'ready'; readonly info: BackendInfo; readonly capabilities: BackendCapabilities }
  | { readonly type: 'failed'; readonly error: ErrorRecord }
  | { readonly id: number; readonly result?: unknown; readonly error?: ErrorRecord };

export function errorRecord(error: unknown): ErrorRecord {
  if (error instanceof FatalError) return { kind: 'fatal', message: error.message, exitCode: error.exitCode };
  if (error instanceof ModelOutputError) return { kind: 'model-output', message: error.message };
  if (error instanceof Error) return { kind: 'other', message: error.message, stack: error.stack };
  return { kind: 'other', message: String(error) };
}

export function errorFrom(record: ErrorRecord): Error {
  if (record.kind === 'fatal') return new FatalError(record.message, record.exitCode);
  if (record.kind === 'model-output') return new ModelOutputError(record.message);
  const error = new Error(record.message);
  if (record.stack) error.stack = record.stack;
  return error;
}
