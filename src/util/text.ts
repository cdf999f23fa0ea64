/** Text helpers shared by the dashboard and the reports. */

/**
 * Cuts to `width` code points (not UTF-16 units) with an ellipsis. The default, 200, is how much of a
 * dataset-derived message (an error, a note) a report cell keeps.
 */
export function truncate(text: string, width = 200): string {
  if (width <= 0) return '';
  const chars = Array.from(text);
  if (chars.length <= width) return text;
  return width === 1 ? '…' : `${chars.slice(0, width - 1).join('')}…`;
}
