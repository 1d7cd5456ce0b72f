import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { z } from 'zod/mini';

/** Which check a schema error comes from: the zod schema, or the JSON Schema published from it. */
type Checker = 'zod' | 'json';

/**
 * Checks a value against a zod schema and against the JSON Schema generated from it (`npm run schemas`): every issue
 * of either, each prefixed with its checker (empty when both accept the value).
 */
export const publishedSchemaErrors = (zodSchema: z.core.$ZodType, jsonSchema: object) => {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
  addFormats(ajv);
  const validate = ajv.compile(jsonSchema);
  return (value: unknown): string[] => {
    const parsed = z.safeParse(zodSchema, value);
    const zodErrors = parsed.success
      ? []
      : parsed.error.issues.map((issue) => `zod /${issue.path.join('/')} ${issue.message}`);
    const jsonErrors = validate(value)
      ? []
      : (validate.errors ?? []).map((error) => `json ${error.instancePath} ${error.message}`);
    return [...zodErrors, ...jsonErrors];
  };
};

/** The checkers that refused a value, given its errors (`['json', 'zod']` when both did). */
export const refusedBy = (errors: string[]): Checker[] =>
  (['json', 'zod'] as const).filter((checker) => errors.some((error) => error.startsWith(`${checker} `)));
