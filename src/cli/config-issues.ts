/**
 * A zod validation failure as the one line contam has always printed: the key (as a dotted path),
 * what the schema expects (each schema's `error` text) and what was found.
 */
import type * as z from 'zod';

export interface Problem {
  /** Dotted key below the top level, e.g. "benchmarks.squad.task" or "benchmarks[0].path". */
  readonly path: string;
  readonly expected: string;
  readonly found: unknown;
  /** A message that already says what is wrong and what is valid (a detector spec's). */
  readonly verbatim?: boolean;
}

type Issue = z.core.$ZodIssue;

function joinPath(segments: readonly PropertyKey[]): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : `${i === 0 ? '' : '.'}${String(s)}`)).join('');
}

/**
 * A union failed: follow the branch the value's shape chose (the one not rejected outright for its
 * type), so `target: {url: ftp://x}` reports the url, not "expected a string or an object".
 */
function chosenBranch(issue: Issue & { code: 'invalid_union' }): Issue | undefined {
  const fitting = issue.errors.filter((branch) => branch.length > 0 && !(branch[0].code === 'invalid_type' && branch[0].path.length === 0));
  if (fitting.length !== 1) return undefined;
  const inner = fitting[0][0];
  return { ...inner, path: [...issue.path, ...inner.path] } as Issue;
}

/** The first problem of a failed parse (run with reportInput, so issues carry the value found). */
export function firstProblem(error: z.ZodError): Problem {
  let issue = error.issues[0] as Issue;
  for (let next = issue.code === 'invalid_union' ? chosenBranch(issue) : undefined; next; next = issue.code === 'invalid_union' ? chosenBranch(issue) : undefined) issue = next;
  if (issue.code === 'unrecognized_keys') return { path: joinPath([...issue.path, issue.keys[0]]), expected: issue.message, found: issue.keys[0] };
  const verbatim = issue.code === 'custom' && issue.params?.verbatim === true;
  return { path: joinPath(issue.path), expected: issue.message, found: issue.input, ...(verbatim ? { verbatim } : {}) };
}
