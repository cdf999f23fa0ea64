/**
 * How a found value is named in error messages: its JSON type plus a short preview,
 * so "found number 7" or "found string \"\"" tells the user what to fix without opening the file.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  switch (typeof value) {
    case 'string':
      return `string ${JSON.stringify(preview(value))}`;
    case 'number':
    case 'bigint':
    case 'boolean':
      return `${typeof value} ${String(value)}`;
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

/** Long texts are cut so one message stays one line. */
export function preview(text: string, max = 40): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
