import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parquetWriteFile } from 'hyparquet-writer';

/**
 * Test fixtures in the Hugging Face Hub layout, with the nested schema pyarrow writes for
 * `datasets`: a list column is an optional LIST group of `list.element`, a struct is a group.
 */
type Element = Record<string, unknown>;

const str = (name: string): Element => ({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' });
const int64 = (name: string): Element => ({ name, type: 'INT64', repetition_type: 'OPTIONAL' });
const listOfStrings = (name: string): Element[] => [
  { name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
];

export type ColumnKind = 'string' | 'int64' | 'string-list' | { struct: Record<string, 'string-list'> };

function schemaFor(columns: Record<string, ColumnKind>): Element[] {
  const schema: Element[] = [{ name: 'schema', num_children: Object.keys(columns).length }];
  for (const [name, kind] of Object.entries(columns)) {
    if (kind === 'string') schema.push(str(name));
    else if (kind === 'int64') schema.push(int64(name));
    else if (kind === 'string-list') schema.push(...listOfStrings(name));
    else {
      schema.push({ name, repetition_type: 'OPTIONAL', num_children: Object.keys(kind.struct).length });
      for (const field of Object.keys(kind.struct)) schema.push(...listOfStrings(field));
    }
  }
  return schema;
}

export function writeHubParquet(filename: string, columns: Record<string, ColumnKind>, rows: Record<string, unknown>[]): void {
  mkdirSync(dirname(filename), { recursive: true });
  const columnData = Object.entries(columns).map(([name, kind]) => ({
    name,
    data: rows.map((row) => (kind === 'int64' ? BigInt(row[name] as number) : row[name])),
  }));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the writer's SchemaElement type is not exported
  parquetWriteFile({ filename, columnData: columnData as any, schema: schemaFor(columns) as any, rowGroupSize: 2 });
}
