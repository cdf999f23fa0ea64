import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const src = join(root, 'src');

function walk(dir: string): { dirs: string[]; files: string[] } {
  const out = { dirs: [] as string[], files: [] as string[] };
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      out.dirs.push(path);
      const inner = walk(path);
      out.dirs.push(...inner.dirs);
      out.files.push(...inner.files);
    } else out.files.push(path);
  }
  return out;
}

describe('the layout of src/', () => {
  const { dirs, files } = walk(src);
  const layout = readFileSync(join(root, 'README.md'), 'utf8').split('## Layout')[1]?.split('\n## ')[0] ?? '';

  it("README's layout section names every folder under src/", () => {
    // A folder is named by its path (src/models/onnx/), or by its own name (sources/) in its parent's
    // entry: the parent's line and the indented lines that continue it.
    const entries = layout.split(/\n(?=\S)/);
    const named = (d: string) => {
      if (layout.includes(`${d}/`)) return true;
      const parent = d.slice(0, d.lastIndexOf('/'));
      const name = d.slice(d.lastIndexOf('/') + 1);
      return entries.some((e) => e.startsWith(`${parent}/`) && new RegExp(`(^|[\\s;(])${name}/`).test(e.slice(parent.length + 1)));
    };
    const unnamed = dirs.map((d) => relative(root, d)).filter((d) => !named(d));
    expect(unnamed).toEqual([]);
  });

  it('imports onnxruntime only under src/models/onnx/', () => {
    const importing = files.filter((f) => /from ['"]onnxruntime/.test(readFileSync(f, 'utf8'))).map((f) => relative(root, f));
    expect(importing.length).toBeGreaterThan(0);
    expect(importing.filter((f) => !f.startsWith('src/models/onnx/'))).toEqual([]);
  });
});
