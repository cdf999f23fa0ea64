/**
 * A user-facing failure: bad input, bad configuration, a model we cannot run.
 * Caught once at the top of the CLI, printed as one line, turned into the exit code.
 * Per-sample problems are not errors of this kind: they are values counted in the report.
 */
export class FatalError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 1,
  ) {
    super(message);
    this.name = 'FatalError';
  }
}

/** Ctrl-C: partial results are written, then the process exits 130. */
export class InterruptedError extends FatalError {
  constructor(message = 'interrupted') {
    super(message, 130);
    this.name = 'InterruptedError';
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
