import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonSchemaOf, PUBLISHED_SCHEMAS } from '../../../scripts/eventSchemas';

const REPO_ROOT = join(__dirname, '..', '..', '..');

describe('published JSON Schemas', () => {
  it.each(PUBLISHED_SCHEMAS.map(({ path, schema }) => [path, schema] as const))(
    '%s is what its zod schema generates (npm run schemas)',
    (path, schema) => {
      // Prepare
      const committed = JSON.parse(readFileSync(join(REPO_ROOT, path), 'utf8'));

      // Act
      const generated = jsonSchemaOf(schema);

      // Assess
      expect(committed).toStrictEqual(generated);
    }
  );
});
