// Rewrites schema/contam.config.schema.json from the config's zod schema (npm run schema);
// test/cli/config.test.ts fails while the committed file differs from what this writes.
import { writeFileSync } from 'node:fs';
import { jsonSchema } from '../src/cli/config-schema.js';

const target = new URL('../schema/contam.config.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(jsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${target.pathname}\n`);
