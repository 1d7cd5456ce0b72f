import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { labelledKeySource } from '../audit/keySourceLabel';
import { type CliSessionOptions, createCliSsmClient, parameterValue } from '../aws/cliSession';
import { SsmKeyIdSource } from '../aws/ssmKeyIdSource';
import { parseStageSettings, type StageSettings, stageSettingsParameterName } from '../config/stageSettings';
import { ConfigurationError } from '../domain/errors';
import { parseKeyId } from '../domain/keyId';
import type { KeyIdSource } from '../domain/ports';

/** A deployed stage as the CLI applies it: its published settings, and the pipeline's key source of that stage. */
export interface Stage {
  settings: StageSettings;
  /** `kmsKeyId`, overridden by the stage's SSM key parameter (a KeyId or a key map) when it exists. */
  keys: KeyIdSource;
}

/**
 * Reads `/kinesis-auto-encrypt/<stage>/settings` with the CLI's own credentials in its home region (the hub: the
 * account and region the stack is deployed in), and builds the stage's key source exactly as the pipeline's
 * (`SsmKeyIdSource` on the stage's key parameter, same account and region).
 * @throws {ConfigurationError} when the parameter does not exist there or is not a settings document
 */
export const stageOf = async (name: string, session: CliSessionOptions & { account: string }): Promise<Stage> => {
  const client = createCliSsmClient(session);
  const parameterName = stageSettingsParameterName(name);
  const value = await parameterValue(client, parameterName);
  if (value === undefined) {
    throw new ConfigurationError(
      `stage ${name}: SSM parameter ${parameterName} not found in ${session.account}/${session.region} (run in the account and region the stack is deployed in, e.g. --region or AWS_REGION)`
    );
  }
  const settings = parseStageSettings(value, parameterName);
  const keys = new SsmKeyIdSource({
    fallback: parseKeyId(settings.kmsKeyId, `kmsKeyId of ${parameterName}`),
    parameterName: settings.kmsKeySsmParameter,
    provider: new SSMProvider({ awsSdkV3Client: client }),
    maxAgeSeconds: 3600,
    allowCrossAccountKey: settings.allowCrossAccountKey,
  });
  return { settings, keys: labelledKeySource(keys, `stage ${name}: `) };
};
