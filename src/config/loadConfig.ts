import {
  _default,
  coerce,
  maximum,
  minimum,
  minLength,
  object,
  enum as oneOf,
  optional,
  pipe,
  refine,
  regex,
  string,
  transform,
  trim,
} from 'zod/mini';
import { assertKeyFitsDeployment } from '../domain/assertKeyFitsDeployment';
import type { Deployment } from '../domain/deployment';
import { ConfigurationError } from '../domain/errors';
import type { KeyPolicyMode } from '../domain/keyCheck';
import { AWS_MANAGED_KINESIS_ALIAS, type ParsedKeyId, parseKeyId } from '../domain/keyId';
import type { Mode } from '../domain/streamPolicy';
import { WriteGuard } from '../domain/writeGuard';
import { DEFAULT_IAC_USER_AGENTS } from '../events/iacEngineOf';
import { deploymentFrom } from './deploymentFrom';
import { type Organization, organizationFrom } from './organizationFrom';

const flag = pipe(
  _default(oneOf(['true', 'false']), 'false'),
  transform((value) => value === 'true')
);
const seconds = (fallback: number, min: number, max: number) =>
  _default(
    coerce.number().check(refine(Number.isInteger, 'expected a whole number of seconds'), minimum(min), maximum(max)),
    fallback
  );

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const listOf = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

const environmentSchema = object({
  DEFAULT_KMS_KEY_ID: _default(string().check(trim(), minLength(1)), AWS_MANAGED_KINESIS_ALIAS),
  KMS_KEY_SSM_PARAMETER: optional(string().check(trim())),
  IDEMPOTENCY_TABLE_NAME: string().check(minLength(1)),
  STATE_MACHINE_ARN: string().check(
    regex(/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:.+$/, 'expected a state machine ARN')
  ),
  AWS_REGION: optional(string().check(regex(/^[a-z]{2,4}(-[a-z]+)+-\d+$/, 'expected an AWS region'))),
  EVENT_BUS_NAME: _default(string().check(minLength(1)), 'default'),
  OVERRIDE_FOREIGN_KEYS: flag,
  MODE: _default(oneOf(['enforce', 'audit']), 'enforce'),
  WRITE_GUARD: _default(oneOf(Object.values(WriteGuard)), WriteGuard.Off),
  ALLOW_EXEMPTIONS: pipe(
    _default(oneOf(['true', 'false']), 'true'),
    transform((value) => value === 'true')
  ),
  KEY_BUDGET_RESERVE: _default(
    coerce.number().check(refine(Number.isInteger, 'expected a whole number'), minimum(0), maximum(24)),
    2
  ),
  MAX_DRIFT_REPAIRS_PER_DAY: _default(
    coerce.number().check(refine(Number.isInteger, 'expected a whole number'), minimum(1), maximum(24)),
    3
  ),
  ALLOW_KEY_TAGS: pipe(
    _default(oneOf(['true', 'false']), 'true'),
    transform((value) => value === 'true')
  ),
  ALLOW_CROSS_ACCOUNT_KEY: flag,
  PROBE_AFTER_CONFIRM: flag,
  CREATING_WAIT_SECONDS: seconds(90, 0, 840),
  // Fractions allowed (the local cloud waits a few hundred ms); whole seconds in a deployment.
  IAC_GRACE_SECONDS: _default(coerce.number().check(minimum(0), maximum(600)), 120),
  IAC_USER_AGENTS: optional(string()),
  // Comma-separated IAM role ARNs of the pipeline (function and state machine roles).
  OWN_ROLE_ARNS: optional(
    string().check(
      refine(
        (value) => listOf(value).every((arn) => ROLE_ARN.test(arn)),
        'expected comma-separated IAM role ARNs (arn:<partition>:iam::<account>:role/<name>)'
      )
    )
  ),
  KEY_POLICY_CHECK: _default(oneOf(['enforce', 'warn', 'off']), 'enforce'),
  KEY_CHECK_TTL_SECONDS: seconds(300, 0, 3600),
  SSM_MAX_AGE_SECONDS: seconds(300, 0, 3600),
  IDEMPOTENCY_EXPIRY_SECONDS: seconds(172_800, 86_400, 2_592_000),
});

/** Validated function configuration. */
export interface Config {
  defaultKeyId: ParsedKeyId;
  /** Where the function runs (the default key was checked against it). */
  deployment: Deployment;
  /** DEPLOYMENT=org: the organisation the hub governs; undefined for an account deployment. */
  organization: Organization | undefined;
  /** A key of another account is accepted (its key policy must grant this account). */
  allowCrossAccountKey: boolean;
  keyIdParameterName: string | undefined;
  idempotencyTableName: string;
  stateMachineArn: string;
  eventBusName: string;
  overrideForeignKeys: boolean;
  /** `enforce` (default) or `audit` (MODE): audit never changes a stream. */
  mode: Mode;
  /** Keep the guard tag `kinesis-auto-encrypt:encrypted` (WRITE_GUARD: off, prepare, enforce; default off). */
  writeGuard: WriteGuard;
  /** Honour the exemption tag (ALLOW_EXEMPTIONS, default true). */
  allowExemptions: boolean;
  /** Honour the key tag (ALLOW_KEY_TAGS, default true). */
  allowKeyTags: boolean;
  /** Key applications per stream and day the pipeline never spends (KEY_BUDGET_RESERVE, default 2). */
  keyBudgetReserve: number;
  /** Drift repairs per stream per 24 h before it is reported flapping (MAX_DRIFT_REPAIRS_PER_DAY, default 3). */
  maxDriftRepairsPerDay: number;
  /** Write one probe record after confirmation (off by default: it adds a record to the stream). */
  probeAfterConfirm: boolean;
  creatingWaitSeconds: number;
  /** Seconds an IaC-created stream is left to its engine after ACTIVE before the pipeline applies its key. */
  iacGraceSeconds: number;
  /** What the key policy pre-flight does with a policy that would lock producers out (KEY_POLICY_CHECK). */
  keyPolicyCheck: KeyPolicyMode;
  /** User-agent fragments that identify an IaC engine (IAC_USER_AGENTS, comma-separated). */
  iacUserAgents: readonly string[];
  /** Role ARNs whose sessions are the pipeline itself (OWN_ROLE_ARNS): their calls are ignored. */
  ownRoleArns: readonly string[];
  keyCheckTtlSeconds: number;
  ssmMaxAgeSeconds: number;
  idempotencyExpirySeconds: number;
}

/**
 * Reads the function's environment; called at cold start so bad configuration fails loudly.
 * When neither DEFAULT_KMS_KEY_ID nor the SSM parameter is set, the AWS managed key
 * `alias/aws/kinesis` is used. The default key must fit where the function runs (partition, region,
 * account unless ALLOW_CROSS_ACCOUNT_KEY=true; no AWS managed key of another service).
 * @throws {ConfigurationError} naming each bad variable
 */
export const loadConfig = (env: NodeJS.ProcessEnv): Config => {
  const result = environmentSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigurationError(
      `Invalid configuration: ${result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
      { cause: result.error }
    );
  }
  const e = result.data;
  let defaultKeyId: ParsedKeyId;
  try {
    defaultKeyId = parseKeyId(e.DEFAULT_KMS_KEY_ID, 'kmsKeyId');
  } catch (error) {
    throw new ConfigurationError((error as Error).message, { cause: error });
  }
  const deployment = deploymentFrom(e.STATE_MACHINE_ARN, e.AWS_REGION);
  assertKeyFitsDeployment(defaultKeyId, deployment, {
    source: 'kmsKeyId',
    allowCrossAccountKey: e.ALLOW_CROSS_ACCOUNT_KEY,
  });
  const organization = organizationFrom(env, deployment);
  return {
    defaultKeyId,
    deployment,
    organization,
    allowCrossAccountKey: e.ALLOW_CROSS_ACCOUNT_KEY,
    keyIdParameterName: e.KMS_KEY_SSM_PARAMETER === '' ? undefined : e.KMS_KEY_SSM_PARAMETER,
    idempotencyTableName: e.IDEMPOTENCY_TABLE_NAME,
    stateMachineArn: e.STATE_MACHINE_ARN,
    eventBusName: e.EVENT_BUS_NAME,
    overrideForeignKeys: e.OVERRIDE_FOREIGN_KEYS,
    mode: e.MODE,
    writeGuard: e.WRITE_GUARD,
    allowExemptions: e.ALLOW_EXEMPTIONS,
    allowKeyTags: e.ALLOW_KEY_TAGS,
    keyBudgetReserve: e.KEY_BUDGET_RESERVE,
    maxDriftRepairsPerDay: e.MAX_DRIFT_REPAIRS_PER_DAY,
    probeAfterConfirm: e.PROBE_AFTER_CONFIRM,
    creatingWaitSeconds: e.CREATING_WAIT_SECONDS,
    iacGraceSeconds: e.IAC_GRACE_SECONDS,
    keyPolicyCheck: e.KEY_POLICY_CHECK,
    iacUserAgents: listOf(e.IAC_USER_AGENTS).length === 0 ? DEFAULT_IAC_USER_AGENTS : listOf(e.IAC_USER_AGENTS),
    ownRoleArns: listOf(e.OWN_ROLE_ARNS),
    keyCheckTtlSeconds: e.KEY_CHECK_TTL_SECONDS,
    ssmMaxAgeSeconds: e.SSM_MAX_AGE_SECONDS,
    idempotencyExpirySeconds: e.IDEMPOTENCY_EXPIRY_SECONDS,
  };
};
