import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod/mini';
import { completionEventSchema } from '../src/completion/completionDetail';
import { reportSchema } from '../src/report/report';
import { sweepCompletedDetailSchema } from '../src/sweep/sweepCompletedDetail';

/** Every published JSON Schema (path from the repository root) and the zod schema it is generated from. */
export const PUBLISHED_SCHEMAS = [
  { path: 'src/completion/completion-event.schema.json', schema: completionEventSchema },
  { path: 'src/completion/sweep-completed.schema.json', schema: sweepCompletedDetailSchema },
  { path: 'src/report/report.schema.json', schema: reportSchema },
] as const;

/** The JSON Schema (draft 2020-12) of `schema`, its identification first. */
export const jsonSchemaOf = (schema: z.core.$ZodType): Record<string, unknown> => {
  const { $schema, $id, title, description, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12' });
  return { $schema, $id, title, description, ...rest };
};

/** Writes every published schema (`npm run schemas`, which then formats them with Biome). */
const writeSchemas = (root: string): void => {
  for (const { path, schema } of PUBLISHED_SCHEMAS) {
    writeFileSync(join(root, path), `${JSON.stringify(jsonSchemaOf(schema), null, 2)}\n`);
    console.log(`wrote ${path}`);
  }
};

if (require.main === module) writeSchemas(join(__dirname, '..'));
