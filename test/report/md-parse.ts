/** Tiny GFM helpers for tests: split table rows on unescaped pipes, the way a renderer would. */
export function cells(row: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < row.length; i++) {
    const c = row[i];
    if (c === '\\' && i + 1 < row.length) {
      cur += c + row[i + 1];
      i++;
    } else if (c === '|') {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  // A row starts and ends with a pipe: drop the empty outer pieces.
  return out.slice(1, -1);
}

/** Every table in the document: contiguous blocks of lines starting with "|". */
export function tables(markdown: string): string[][][] {
  const result: string[][][] = [];
  let current: string[][] | null = null;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('|')) {
      current ??= [];
      current.push(cells(line));
    } else if (current) {
      result.push(current);
      current = null;
    }
  }
  if (current) result.push(current);
  return result;
}

/** The table that follows a heading (first table after the line equal to `heading`). */
export function tableAfter(markdown: string, heading: string): string[][] {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`heading not found: ${heading}`);
  return tables(markdown.slice(start))[0];
}
