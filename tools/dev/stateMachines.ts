import { join } from 'node:path';
import { REPO_ROOT } from './repoRoot';

/** Path of the confirm-encryption state machine definition. */
export const CONFIRM_ENCRYPTION_ASL_PATH = join(REPO_ROOT, 'statemachines', 'confirm-encryption.asl.json');
/** Path of the organisation variant (Kinesis tasks with `Credentials`), generated from the account one. */
export const CONFIRM_ENCRYPTION_ORG_ASL_PATH = join(REPO_ROOT, 'statemachines', 'confirm-encryption-org.asl.json');
/** Path of the deployed sweep's step loop. */
export const SWEEP_ASL_PATH = join(REPO_ROOT, 'statemachines', 'sweep.asl.json');

/**
 * Local values of the definition's `${Name}` placeholders, which CloudFormation fills from the state
 * machine's `DefinitionSubstitutions` (serverless.yml) when deployed.
 */
export const LOCAL_SUBSTITUTIONS = {
  Partition: 'aws',
  UndeliveredQueueUrl: 'https://sqs.us-east-1.amazonaws.com/000000000000/kinesis-auto-encrypt-local-undelivered',
  DefaultConfirmTimeoutSeconds: '1200',
} as const satisfies Record<string, string>;
