import { type IamRequestContext, iamConditionMatches, iamPatternMatches } from './iamMatch';
import { type KeyPolicyPrincipals, type KeyPolicyStatement, keyPolicyStatements } from './keyPolicyStatements';

/** The stream whose producers and consumers must be able to use the key. */
export interface KeyPolicyContext {
  /** Account of the stream (and of its producers and consumers). */
  account: string;
  region: string;
  partition: string;
  /** The key Kinesis would use (resolved, not an alias). */
  keyArn: string;
  /** The stream: Kinesis calls KMS for it with the encryption context `aws:kinesis:arn` = this ARN. */
  streamArn?: string;
}

/** Whether the key policy lets the stream's account use the key through Kinesis, and why. */
export interface KeyPolicyVerdict {
  usable: boolean;
  reason: string;
}

/** What producers (GenerateDataKey) and consumers (Decrypt) of an encrypted stream need. */
const STREAM_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'] as const;
type StreamAction = (typeof STREAM_ACTIONS)[number];

/** Stands for "any principal of the account" in aws:PrincipalArn: a role no policy names. */
const ANY_ROLE = 'role/any-principal-of-the-account';

const viaServiceOf = (context: KeyPolicyContext): string => `kinesis.${context.region}.amazonaws.com`;
const rootOf = (context: KeyPolicyContext): string => `arn:${context.partition}:iam::${context.account}:root`;

/** What is known of a producer's or consumer's request as Kinesis forwards it to KMS. */
const requestContextOf = (context: KeyPolicyContext): IamRequestContext =>
  new Map([
    ['kms:viaservice', viaServiceOf(context)],
    ['kms:calleraccount', context.account],
    ['aws:principalaccount', context.account],
    ['aws:principalarn', `arn:${context.partition}:iam::${context.account}:${ANY_ROLE}`],
    // Only set for requests by service principals, not for a service acting for a principal.
    ['aws:sourceaccount', undefined],
  ]);

/**
 * How much of the stream's account a Principal covers: `all` ("*", the account id or its root,
 * which delegates to IAM policies), `some` (named users or roles only, listed) or `none`.
 */
const coverageOf = (
  principals: KeyPolicyPrincipals,
  context: KeyPolicyContext
): ['all' | 'none'] | ['some', string[]] => {
  if (principals.anyone || principals.aws.some((entry) => entry === context.account || entry === rootOf(context))) {
    return ['all'];
  }
  const ofAccount = [
    `arn:${context.partition}:iam::${context.account}:`,
    `arn:${context.partition}:sts::${context.account}:`,
  ];
  const named = principals.aws.filter((entry) => ofAccount.some((prefix) => entry.startsWith(prefix)));
  return named.length > 0 ? ['some', named] : ['none'];
};

const appliesTo = (statement: KeyPolicyStatement, action: StreamAction, keyArn: string): boolean =>
  statement.actions.some((pattern) => iamPatternMatches(pattern, action, true)) !== statement.notAction &&
  statement.resources.some((pattern) => iamPatternMatches(pattern, keyArn)) !== statement.notResource;

/** What the policy says about one action for a principal of the stream's account. */
interface Findings {
  grants: string[];
  /** Condition keys the grants depend on that are not known here (assumed to hold). */
  assumed: string[];
  denials: string[];
  /** Denies that apply only if something unknown holds: named, not counted. */
  undecidedDenials: string[];
  /** Why near-miss statements do not grant, for the reason. */
  notes: string[];
}

const allowFindings = (statement: KeyPolicyStatement, context: KeyPolicyContext, findings: Findings): void => {
  const outcome = iamConditionMatches(statement.condition, requestContextOf(context));
  if (outcome.holds === 'no') return;
  if (statement.notPrincipal) {
    findings.notes.push(`${statement.name} uses NotPrincipal with Allow, which IAM does not support`);
    return;
  }
  const [coverage, named] = coverageOf(statement.principals, context);
  if (coverage === 'all') {
    findings.grants.push(statement.name);
    findings.assumed.push(...outcome.unknownKeys);
  } else if (coverage === 'some') {
    findings.notes.push(`${statement.name} grants only ${named.join(', ')}`);
  }
};

const denyFindings = (statement: KeyPolicyStatement, context: KeyPolicyContext, findings: Findings): void => {
  const outcome = iamConditionMatches(statement.condition, requestContextOf(context));
  if (outcome.holds === 'no') return;
  const [coverage] = coverageOf(statement.principals, context);
  const guesses = outcome.unknownKeys.length > 0 ? [`conditions on ${outcome.unknownKeys.join(', ')} hold`] : [];
  if (statement.notPrincipal) {
    // Deny to all but the listed: naming the account may exempt its principals (IAM also checks
    // the role and session), naming only some roles leaves the others denied.
    if (statement.principals.anyone) return;
    if (coverage === 'all') guesses.push(`its NotPrincipal ${rootOf(context)} does not exempt the account's roles`);
  } else if (coverage !== 'all') {
    return;
  }
  if (guesses.length === 0) findings.denials.push(statement.name);
  else findings.undecidedDenials.push(`${statement.name} (denies only if ${guesses.join(' and ')})`);
};

const findingsFor = (statements: KeyPolicyStatement[], action: StreamAction, context: KeyPolicyContext): Findings => {
  const findings: Findings = { grants: [], assumed: [], denials: [], undecidedDenials: [], notes: [] };
  for (const statement of statements) {
    if (!appliesTo(statement, action, context.keyArn)) continue;
    if (statement.effect === 'Allow') allowFindings(statement, context, findings);
    else denyFindings(statement, context, findings);
  }
  return findings;
};

const problemOf = (findings: Findings, action: StreamAction, context: KeyPolicyContext): string | undefined => {
  if (findings.denials.length > 0) return `${action} is explicitly denied by ${findings.denials.join(', ')}`;
  if (findings.grants.length > 0) return undefined;
  const notes = findings.notes.length > 0 ? `; ${findings.notes.join('; ')}` : '';
  return `no statement allows ${action} to principals of account ${context.account} via ${viaServiceOf(context)} (grant ${rootOf(context)} to enable IAM policies, or the producers' and consumers' roles${notes})`;
};

const unique = (items: string[]): string[] => [...new Set(items)];

/**
 * Evaluates a key policy (the JSON of kms:GetKeyPolicy): may any IAM principal of the stream's
 * account, whose own IAM policies allow it, call kms:GenerateDataKey and kms:Decrypt on the key
 * through Kinesis (`kms:ViaService`, `kms:CallerAccount`)? Synchronous and pure, no AWS call.
 *
 * A subset of IAM policy evaluation: an explicit Deny wins, then any Allow. Conditions on keys not
 * known here (aws:PrincipalOrgID, the encryption context, …) are assumed to hold on an Allow and
 * not to hold on a Deny — a key is never failed on a guess — and are named in the reason. Grants,
 * SCPs, RCPs and VPC endpoint policies are not considered.
 */
export const keyPolicyVerdict = (policyJson: string, context: KeyPolicyContext): KeyPolicyVerdict => {
  let policy: unknown;
  try {
    policy = JSON.parse(policyJson);
  } catch {
    return { usable: false, reason: `the key policy of ${context.keyArn} is not valid JSON` };
  }
  const read = keyPolicyStatements(policy);
  if (!read.valid) {
    return {
      usable: false,
      reason: `key policy of ${context.keyArn}: the key policy could not be evaluated (${read.problem})`,
    };
  }
  const findings = STREAM_ACTIONS.map((action) => findingsFor(read.statements, action, context));
  const problems = STREAM_ACTIONS.flatMap((action, index) => {
    const problem = problemOf(findings[index] as Findings, action, context);
    return problem === undefined ? [] : [problem];
  });
  if (problems.length > 0) return { usable: false, reason: `key policy of ${context.keyArn}: ${problems.join('; ')}` };
  const grants = unique(findings.flatMap((finding) => finding.grants));
  const assumed = unique(findings.flatMap((finding) => finding.assumed));
  const undecided = unique(findings.flatMap((finding) => finding.undecidedDenials));
  const assuming = assumed.length > 0 ? `, assuming conditions on ${assumed.join(', ')} hold (not evaluated)` : '';
  const denying = undecided.length > 0 ? `; not counted: ${undecided.join(', ')}` : '';
  return {
    usable: true,
    reason: `key policy of ${context.keyArn} allows principals of account ${context.account} ${STREAM_ACTIONS.join(' and ')} via ${viaServiceOf(context)} (${grants.join(', ')})${assuming}${denying}`,
  };
};
