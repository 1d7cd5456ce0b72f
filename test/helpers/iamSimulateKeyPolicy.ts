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
 * A principal of the account whose own IAM policies allow the calls: the key policy must do the rest.
 * Same stand-in as the production evaluator's, a role no policy names.
 */
const producerOf = (context: KeyPolicyContext): string =>
  `arn:${context.partition}:iam::${context.account}:role/any-principal-of-the-account`;

/** Facts of the request; aws:SourceAccount is known to be absent (not in the context variables). */
const KNOWN_KEYS = [
  'kms:ViaService',
  'kms:CallerAccount',
  'aws:PrincipalAccount',
  'aws:PrincipalArn',
  'aws:SourceAccount',
].map((keyName) => ({ keyName, presenceIsKnown: true, valueIsKnown: true }) as const);

const viaServiceOf = (context: KeyPolicyContext): string => `kinesis.${context.region}.amazonaws.com`;

const statementName = (sid: string | undefined, index: number): string =>
  sid === undefined ? `statement #${index}` : `statement "${sid}"`;

type Evaluation = { allowed: true; grants: string[]; assumed: string[] } | { allowed: false; problem: string };

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
  context: KeyPolicyContext
): Promise<Evaluation> => {
  const principal = producerOf(context);
  const viaService = viaServiceOf(context);
  const outcome = await runSimulation(
    {
      request: {
        principal,
        action,
        resource: { resource: context.keyArn, accountId: context.keyArn.split(':')[4] ?? '' },
        contextVariables: {
          'kms:ViaService': viaService,
          'kms:CallerAccount': context.account,
          'aws:PrincipalAccount': context.account,
          'aws:PrincipalArn': principal,
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
      resourcePolicy: policy,
    },
    // Discovery: the keys above are facts; a condition on any other key (aws:PrincipalOrgID, the
    // encryption context, which iam-simulate 0.1 cannot evaluate) is assumed to hold, so the verdict
    // never calls a key unusable on a guess.
    { simulationMode: 'Discovery', discoveryContextKeyConstraints: KNOWN_KEYS }
  );
  if (outcome.resultType === 'error') {
    return { allowed: false, problem: `the key policy could not be evaluated (${outcome.errors.message})` };
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
  if (denials.length > 0) return { allowed: false, problem: `${action} is explicitly denied by ${denials.join(', ')}` };
  return {
    allowed: false,
    problem: `no statement allows ${action} to principals of account ${context.account} via ${viaService} (grant arn:${context.partition}:iam::${context.account}:root to enable IAM policies, or the producers' and consumers' roles)`,
  };
};

/**
 * Test oracle for `keyPolicyVerdict` (src/aws): evaluates a key policy with `@cloud-copilot/iam-simulate`. Can an IAM
 * principal of the stream's account, whose own IAM policies allow it, call kms:GenerateDataKey and
 * kms:Decrypt through Kinesis (`kms:ViaService`, `kms:CallerAccount`)? Pure evaluation, no AWS call.
 * Grants, SCPs, RCPs and VPC endpoint policies are not known here and are not considered; conditions on
 * keys the simulator cannot evaluate are assumed to hold and named in the reason.
 */
export const iamSimulateKeyPolicy = async (
  policyJson: string,
  context: KeyPolicyContext
): Promise<KeyPolicyVerdict> => {
  let policy: unknown;
  try {
    policy = JSON.parse(policyJson);
  } catch {
    return { usable: false, reason: `the key policy of ${context.keyArn} is not valid JSON` };
  }
  const evaluations = await Promise.all(STREAM_ACTIONS.map((action) => evaluate(policy, action, context)));
  const problems = evaluations.flatMap((evaluation) => (evaluation.allowed ? [] : [evaluation.problem]));
  if (problems.length > 0) {
    return { usable: false, reason: `key policy of ${context.keyArn}: ${problems.join('; ')}` };
  }
  const grants = [...new Set(evaluations.flatMap((evaluation) => (evaluation.allowed ? evaluation.grants : [])))];
  const assumed = [...new Set(evaluations.flatMap((evaluation) => (evaluation.allowed ? evaluation.assumed : [])))];
  const assuming = assumed.length > 0 ? `, assuming conditions on ${assumed.join(', ')} hold (not evaluated)` : '';
  return {
    usable: true,
    reason: `key policy of ${context.keyArn} allows principals of account ${context.account} ${STREAM_ACTIONS.join(' and ')} via ${viaServiceOf(context)} (${grants.join(', ')})${assuming}`,
  };
};
