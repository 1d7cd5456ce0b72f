import {
  type AllowedConditionExpression,
  getDenialReasons,
  getGrantReasons,
  type RequestAnalysis,
  runSimulation,
} from '@cloud-copilot/iam-simulate';
import type { KeyPolicyContext, KeyPolicyVerdict } from '../../src/keyPolicy/keyPolicyVerdict';

// Test oracle only: iam-simulate is AGPL-3.0 and must not reach the Lambda bundle.

/** What producers (GenerateDataKey) and consumers (Decrypt) of an encrypted stream need. */
const STREAM_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'] as const;

/**
 * The principal that stands for every principal of the account the policy does not name (reached through the
 * account root, the account id or "*"): a role no policy names. Same stand-in as the production evaluator's.
 */
export const anyPrincipalOf = (context: KeyPolicyContext): string =>
  `arn:${context.partition}:iam::${context.account}:role/any-principal-of-the-account`;

/**
 * iam-data names the key `kms:EncryptionContext:${EncryptionContextKey}`, and iam-simulate 0.1.173 substitutes such a
 * variable only after a `/` (as in `aws:PrincipalTag/…`): a request value for `kms:EncryptionContext:aws:kinesis:arn`
 * is dropped as an unknown key. The oracle therefore names the one context key Kinesis sends by iam-data's spec
 * name, in the request and in the policy's conditions; operators and values are evaluated unchanged.
 */
const SPEC_CONTEXT_KEY = 'kms:EncryptionContext:${EncryptionContextKey}';
const KINESIS_CONTEXT_KEY = 'kms:encryptioncontext:aws:kinesis:arn';

/** Facts of the request; aws:SourceAccount is known to be absent (not in the context variables). */
const KNOWN_KEYS = [
  'kms:ViaService',
  'kms:CallerAccount',
  'aws:PrincipalAccount',
  'aws:PrincipalArn',
  'aws:SourceAccount',
  SPEC_CONTEXT_KEY,
  'kms:EncryptionContextKeys',
];

const known = (keyName: string) => ({ keyName, presenceIsKnown: true, valueIsKnown: true }) as const;

const viaServiceOf = (context: KeyPolicyContext): string => `kinesis.${context.region}.amazonaws.com`;

/** aws:PrincipalArn of a request principal: the role of a role session, else the principal itself. */
const principalArnOf = (principal: string): string =>
  principal.replace(/^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/, 'arn:$1:iam::$2:role/$3');

const statementName = (sid: string | undefined, index: number): string =>
  sid === undefined ? `statement #${index}` : `statement "${sid}"`;

type Statement = Record<string, unknown> & { Condition?: Record<string, Record<string, unknown>> };

/** The policy with the Kinesis context key renamed (see {@link SPEC_CONTEXT_KEY}) and the other context keys it names. */
const forSimulator = (policy: unknown): { policy: unknown; otherContextKeys: string[] } => {
  const otherContextKeys = new Set<string>();
  const rename = (statement: Statement): Statement => {
    if (statement.Condition === undefined) return statement;
    const condition = Object.fromEntries(
      Object.entries(statement.Condition).map(([operator, keys]) => [
        operator,
        Object.fromEntries(
          Object.entries(keys).map(([key, values]) => {
            const lower = key.toLowerCase();
            if (lower === KINESIS_CONTEXT_KEY) return [SPEC_CONTEXT_KEY, values];
            if (lower.startsWith('kms:encryptioncontext:')) otherContextKeys.add(key);
            return [key, values];
          })
        ),
      ])
    );
    return { ...statement, Condition: condition };
  };
  if (typeof policy !== 'object' || policy === null || !('Statement' in policy))
    return { policy, otherContextKeys: [] };
  const { Statement: statements } = policy as { Statement: unknown };
  const renamed = Array.isArray(statements)
    ? statements.map((statement) => (typeof statement === 'object' ? rename(statement as Statement) : statement))
    : typeof statements === 'object' && statements !== null
      ? rename(statements as Statement)
      : statements;
  return { policy: { ...policy, Statement: renamed }, otherContextKeys: [...otherContextKeys] };
};

type Evaluation =
  | { allowed: true; grants: string[]; assumed: string[] }
  | { allowed: false; denials: string[]; error?: string };

/** Condition keys an allow depends on that the simulator could not evaluate (Discovery mode). */
const assumedKeys = (expression: AllowedConditionExpression | undefined): string[] => {
  if (expression === undefined) return [];
  if (expression.conditionType === 'condition') return [expression.key];
  if (expression.conditionType === 'group') return expression.conditions.flatMap(assumedKeys);
  return [];
};

const evaluate = async (
  policy: unknown,
  action: (typeof STREAM_ACTIONS)[number],
  principal: string,
  context: KeyPolicyContext
): Promise<Evaluation> => {
  const simulated = forSimulator(policy);
  const outcome = await runSimulation(
    {
      request: {
        principal,
        action,
        resource: { resource: context.keyArn, accountId: context.keyArn.split(':')[4] ?? '' },
        contextVariables: {
          'kms:ViaService': viaServiceOf(context),
          'kms:CallerAccount': context.account,
          'aws:PrincipalAccount': context.account,
          'aws:PrincipalArn': principalArnOf(principal),
          [SPEC_CONTEXT_KEY]: context.streamArn,
          'kms:EncryptionContextKeys': ['aws:kinesis:arn'],
        },
      },
      identityPolicies: [
        {
          name: 'producer',
          policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: context.keyArn }] },
        },
      ],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: simulated.policy,
    },
    // Discovery: the keys above are facts (and other encryption context keys the policy names are known to be
    // absent: Kinesis sends only aws:kinesis:arn); a condition on any other key (aws:PrincipalOrgID, …) is assumed
    // to hold, so the verdict never calls a key unusable on a guess.
    {
      simulationMode: 'Discovery',
      discoveryContextKeyConstraints: [...KNOWN_KEYS, ...simulated.otherContextKeys].map(known),
    }
  );
  if (outcome.resultType === 'error') {
    return { allowed: false, denials: [], error: `the key policy could not be evaluated (${outcome.errors.message})` };
  }
  const analyses: RequestAnalysis[] =
    outcome.resultType === 'single' ? [outcome.result.analysis] : outcome.results.map((result) => result.analysis);
  if (outcome.overallResult === 'Allowed') {
    const grants = analyses.flatMap((analysis) =>
      getGrantReasons(analysis)
        .filter((grant) => grant.policyType === 'resource')
        .map((grant) => statementName(grant.statementId, grant.statementIndex))
    );
    return { allowed: true, grants, assumed: analyses.flatMap((analysis) => assumedKeys(analysis.conditions)) };
  }
  const denials = analyses.flatMap((analysis) =>
    getDenialReasons(analysis).flatMap((denial) =>
      denial.denialType === 'Explicit' && denial.policyType === 'resource'
        ? [statementName(denial.statementId, denial.statementIndex)]
        : []
    )
  );
  return { allowed: false, denials };
};

/**
 * Test oracle for `keyPolicyVerdict` (src/keyPolicy): evaluates a key policy with `@cloud-copilot/iam-simulate`.
 * Can some principal of the stream's account, whose own IAM policies allow it, call kms:GenerateDataKey and
 * kms:Decrypt through Kinesis for this stream (`kms:ViaService`, `kms:CallerAccount`, the encryption context
 * `aws:kinesis:arn`)? The simulator evaluates one concrete principal per request: `candidates` are the principals
 * tried (by default {@link anyPrincipalOf}); an action passes when one of them may call it. Grants, SCPs, RCPs and
 * VPC endpoint policies are not considered; conditions on keys the simulator cannot evaluate are assumed to hold.
 */
export const iamSimulateKeyPolicy = async (
  policyJson: string,
  context: KeyPolicyContext,
  candidates: readonly string[] = [anyPrincipalOf(context)]
): Promise<KeyPolicyVerdict> => {
  let policy: unknown;
  try {
    policy = JSON.parse(policyJson);
  } catch {
    return { usable: false, reason: `the key policy of ${context.keyArn} is not valid JSON` };
  }
  const problems: string[] = [];
  const grants: string[] = [];
  const assumed: string[] = [];
  for (const action of STREAM_ACTIONS) {
    const evaluations = await Promise.all(candidates.map((principal) => evaluate(policy, action, principal, context)));
    const allowed = evaluations.find((evaluation) => evaluation.allowed);
    if (allowed !== undefined) {
      grants.push(...allowed.grants);
      assumed.push(...allowed.assumed);
      continue;
    }
    const denials = [...new Set(evaluations.flatMap((evaluation) => (evaluation.allowed ? [] : evaluation.denials)))];
    const error = evaluations.find((evaluation) => !evaluation.allowed && evaluation.error !== undefined);
    problems.push(
      error !== undefined && !error.allowed && error.error !== undefined
        ? error.error
        : denials.length > 0
          ? `${action} is explicitly denied by ${denials.join(', ')}`
          : `no statement allows ${action} to a principal of account ${context.account} via ${viaServiceOf(context)} for stream ${context.streamArn}`
    );
  }
  if (problems.length > 0) return { usable: false, reason: `key policy of ${context.keyArn}: ${problems.join('; ')}` };
  const assuming =
    assumed.length > 0 ? `, assuming conditions on ${[...new Set(assumed)].join(', ')} hold (not evaluated)` : '';
  return {
    usable: true,
    reason: `key policy of ${context.keyArn} allows ${STREAM_ACTIONS.join(' and ')} via ${viaServiceOf(context)} for stream ${context.streamArn} (${[...new Set(grants)].join(', ')})${assuming}`,
  };
};
