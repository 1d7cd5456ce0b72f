import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { CompletionReporter } from '../completion/completionReporter';
import type { Config } from '../config/loadConfig';
import { KeyCheck } from '../domain/keyCheck';
import type { ReconcileDependencies } from '../domain/reconcile';
import type { createClients } from './clients';
import { DynamoApplyLedger } from './dynamoApplyLedger';
import { DynamoKeyApplicationLedger } from './dynamoKeyApplicationLedger';
import type { EventBridgeCompletionPort } from './eventBridgeCompletionPort';
import { KinesisStreamPort } from './kinesisStreamPort';
import { KmsKeyPolicyCheck } from './kmsKeyPolicyCheck';
import { KmsKeyPort } from './kmsKeyPort';
import { SfnConfirmationPort } from './sfnConfirmationPort';
import { SsmKeyIdSource } from './ssmKeyIdSource';

/** The reconciler's ports on AWS, built once per execution environment (`maxWaitSeconds` is set per invocation). */
export const createReconcileDependencies = (
  config: Config,
  clients: ReturnType<typeof createClients>,
  completions: EventBridgeCompletionPort,
  warn: (message: string) => void
): Omit<ReconcileDependencies, 'maxWaitSeconds'> => {
  const keys = new KmsKeyPort(clients.kms);
  const policies = {
    port: new KmsKeyPolicyCheck(clients.kms),
    deployment: config.deployment,
    mode: config.keyPolicyCheck,
    onWarning: warn,
  };
  return {
    streams: new KinesisStreamPort(clients.kinesis, clients.kinesisApply),
    keys,
    keyCheck: new KeyCheck(keys, { ttlMs: config.keyCheckTtlSeconds * 1000, policies }),
    keyIdSource: new SsmKeyIdSource({
      fallback: config.defaultKeyId,
      parameterName: config.keyIdParameterName,
      provider: new SSMProvider({ awsSdkV3Client: clients.ssm }),
      maxAgeSeconds: config.ssmMaxAgeSeconds,
    }),
    applications: new DynamoKeyApplicationLedger(clients.documentClient, config.idempotencyTableName),
    ledger: new DynamoApplyLedger(clients.documentClient, config.idempotencyTableName, config.idempotencyExpirySeconds),
    confirmations: new SfnConfirmationPort(clients.sfn, config.stateMachineArn),
    reports: new CompletionReporter(completions),
    policy: {
      mode: config.mode,
      overrideForeignKeys: config.overrideForeignKeys,
      iacGraceSeconds: config.iacGraceSeconds,
      allowExemptions: config.allowExemptions,
      allowKeyTags: config.allowKeyTags,
      keyBudgetReserve: config.keyBudgetReserve,
      maxDriftRepairsPerDay: config.maxDriftRepairsPerDay,
    },
    eventBusName: config.eventBusName,
    probeAfterConfirm: config.probeAfterConfirm,
  };
};
