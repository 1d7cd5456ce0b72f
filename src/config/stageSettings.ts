import { z } from 'zod/mini';
import { ConfigurationError } from '../domain/errors';

/** Name of the SSM parameter a stack publishes its effective settings in (a JSON String parameter). */
export const stageSettingsParameterName = (stage: string): string => `/kinesis-auto-encrypt/${stage}/settings`;

/** A stage name as serverless accepts it (`--stage`). */
export const STAGE_NAME = /^[a-zA-Z0-9-]{1,64}$/;

/**
 * The effective settings a deployment publishes (deploy/settings.yml, built by deploy/deployment.js `stageSettings`)
 * for the CLI to apply the same decision: the default key (`kmsKeyId`, overridden at run time by the SSM parameter
 * `kmsKeySsmParameter` — a KeyId or a key map — when it exists), the mode and the policy switches. Unknown fields are
 * ignored, so a newer stack's parameter still reads.
 */
const stageSettingsSchema = z.object({
  version: z.literal('1'),
  stage: z.string().check(z.regex(STAGE_NAME)),
  deployment: z.enum(['account', 'org']),
  kmsKeyId: z.string().check(z.minLength(1)),
  kmsKeySsmParameter: z.string().check(z.minLength(1)),
  mode: z.enum(['enforce', 'audit']),
  overrideForeignKeys: z.boolean(),
  allowExemptions: z.boolean(),
  allowKeyTags: z.boolean(),
  keyPolicyCheck: z.enum(['enforce', 'warn', 'off']),
  allowCrossAccountKey: z.boolean(),
  keyBudgetReserve: z.int().check(z.minimum(0), z.maximum(24)),
  maxDriftRepairsPerDay: z.int().check(z.minimum(1), z.maximum(24)),
});

/** The effective settings of a deployed stage. */
export type StageSettings = z.infer<typeof stageSettingsSchema>;

/**
 * Parses the settings parameter's value.
 * @throws {ConfigurationError} naming the parameter and each bad field
 */
export const parseStageSettings = (value: string, parameterName: string): StageSettings => {
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch (error) {
    throw new ConfigurationError(`SSM parameter ${parameterName} is not JSON`, { cause: error });
  }
  const parsed = z.safeParse(stageSettingsSchema, json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new ConfigurationError(`SSM parameter ${parameterName} is not a settings document: ${issues.join('; ')}`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
};
