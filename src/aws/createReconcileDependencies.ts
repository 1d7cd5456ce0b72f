import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { CompletionReporter } from '../completion/completionReporter';
import type { Config } from '../config/loadConfig';
import type { ReconcileDependencies } from '../domain/reconcile';
import type { createClients } from './clients';
import { DynamoApplyLedger } from './dynamoApplyLedger';
import { DynamoKeyApplicationLedger } from './dynamoKeyApplicationLedger';
import type { EventBridgeCompletionPort } from './eventBridgeCompletionPort';
import { SfnConfirmationPort } from './sfnConfirmationPort';
import { SsmKeyIdSource } from './ssmKeyIdSource';
import { streamPortsFor } from './streamPortsFor';

/**
 * The reconciler's ports on AWS, built once per execution environment (`maxWaitSeconds` is set per invocation).
 * The stream and key ports are the function's own account and region; `roleArnOf` (organisation) names the role
 * the state machine assumes for a stream's account.
 */
export const createReconcileDependencies = (
  config: Config,
  clients: ReturnType<typeof createClients>,
  completions: EventBridgeCompletionPort,
  warn: (message: string) => void,
  roleArnOf?: (account: string) => string
): Omit<ReconcileDependencies, 'maxWaitSeconds'> => {
  return {
    ...streamPortsFor(clients, config.deployment, {
      ttlMs: config.keyCheckTtlSeconds * 1000,
      mode: config.keyPolicyCheck,
      onWarning: warn,
    }),
    keyIdSource: new SsmKeyIdSource({
      fallback: config.defaultKeyId,
      parameterName: config.keyIdParameterName,
      provider: new SSMProvider({ awsSdkV3Client: clients.ssm }),
      maxAgeSeconds: config.ssmMaxAgeSeconds,
      allowCrossAccountKey: config.allowCrossAccountKey,
    }),
    applications: new DynamoKeyApplicationLedger(clients.documentClient, config.idempotencyTableName),
    ledger: new DynamoApplyLedger(clients.documentClient, config.idempotencyTableName, config.idempotencyExpirySeconds),
    confirmations: new SfnConfirmationPort(clients.sfn, config.stateMachineArn, roleArnOf),
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
    writeGuard: config.writeGuard,
  };
};
