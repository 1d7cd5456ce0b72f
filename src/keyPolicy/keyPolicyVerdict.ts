import { type IamRequestContext, iamConditionMatches, iamPatternMatches } from './iamMatch';
import { type Candidate, candidatesOf, isAccount, namesIdentity, reaches, rootOf } from './keyPolicyCandidates';
import { type KeyPolicyStatement, keyPolicyStatements } from './keyPolicyStatements';

/** The stream whose producers and consumers must be able to use the key. */
export interface KeyPolicyContext {
  /** Account of the stream (and of its producers and consumers). */
  account: string;
  region: string;
  partition: string;
  /** The key Kinesis would use (resolved, not an alias). */
  keyArn: string;
  /** The stream: Kinesis calls KMS for it with the encryption context `aws:kinesis:arn` = this ARN. */
  streamArn: string;
}

/** Whether the key policy lets the stream's account produce to and consume from the stream through Kinesis, and why. */
export interface KeyPolicyVerdict {
  usable: boolean;
  reason: string;
}

/** What producers (GenerateDataKey) and consumers (Decrypt) of an encrypted stream need. */
const STREAM_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'] as const;
type StreamAction = (typeof STREAM_ACTIONS)[number];

/** The one encryption context key Kinesis sends: the stream ARN. */
const KINESIS_CONTEXT = 'aws:kinesis:arn';
const CONTEXT_KEY_PREFIX = 'kms:encryptioncontext:';

const viaServiceOf = (context: KeyPolicyContext): string => `kinesis.${context.region}.amazonaws.com`;

/**
 * What is known of a producer's or consumer's request as Kinesis forwards it to KMS for this stream: the service,
 * the caller's account and principal, and the encryption context (only `aws:kinesis:arn`: every other context key
 * the policy names is known to be absent).
 */
const requestContextOf = (
  context: KeyPolicyContext,
  candidate: Candidate,
  contextKeys: readonly string[]
): IamRequestContext =>
  new Map<string, string | readonly string[] | undefined>([
    ...contextKeys.map((key) => [key, undefined] as const),
    ['kms:viaservice', viaServiceOf(context)],
    ['kms:calleraccount', context.account],
    ['aws:principalaccount', context.account],
    ['aws:principalarn', candidate.principalArn],
    // Only set for requests by service principals, not for a service acting for a principal.
    ['aws:sourceaccount', undefined],
    [`${CONTEXT_KEY_PREFIX}${KINESIS_CONTEXT}`, context.streamArn],
    ['kms:encryptioncontextkeys', [KINESIS_CONTEXT]],
  ]);

/** Encryption context keys (lower case) the policy's conditions name. */
const contextKeysOf = (statements: KeyPolicyStatement[]): string[] => [
  ...new Set(
    statements.flatMap((statement) =>
      Object.values(statement.condition).flatMap((keys) =>
        Object.keys(keys)
          .map((key) => key.toLowerCase())
          .filter((key) => key.startsWith(CONTEXT_KEY_PREFIX))
      )
    )
  ),
];

const appliesTo = (statement: KeyPolicyStatement, action: StreamAction, keyArn: string): boolean =>
  statement.actions.some((pattern) => iamPatternMatches(pattern, action, true)) !== statement.notAction &&
  statement.resources.some((pattern) => iamPatternMatches(pattern, keyArn)) !== statement.notResource;

/** What the policy says about one action for one candidate. */
interface Findings {
  candidate: Candidate;
  /** Allow statements that grant it, with the condition keys each assumes (not known here). */
  grants: { name: string; assumed: string[] }[];
  denials: string[];
  /** Denies that apply only if something unknown holds: named, not counted. */
  undecidedDenials: string[];
}

interface Request {
  context: KeyPolicyContext;
  candidate: Candidate;
  request: IamRequestContext;
  /** Why near-miss statements do not grant this action, for the reason (shared by all candidates). */
  notes: Set<string>;
}

const allowFindings = (
  statement: KeyPolicyStatement,
  { context, candidate, request, notes }: Request,
  findings: Findings
): void => {
  if (statement.notPrincipal) {
    notes.add(`${statement.name} uses NotPrincipal with Allow, which IAM does not support`);
    return;
  }
  if (!reaches(statement.principals, candidate, context)) return;
  const outcome = iamConditionMatches(statement.condition, request);
  if (outcome.holds === 'no') {
    notes.add(`${statement.name} does not apply: its condition on ${outcome.failedKeys.join(', ')} does not hold`);
    return;
  }
  findings.grants.push({ name: statement.name, assumed: outcome.unknownKeys });
};

/**
 * NotPrincipal with Deny exempts a principal named together with its account; naming the account alone may not
 * exempt its principals (IAM also checks the role and session), naming the principal alone leaves its account,
 * and so the principal, denied.
 */
const denyFindings = (
  statement: KeyPolicyStatement,
  { context, candidate, request }: Request,
  findings: Findings
): void => {
  const guesses: string[] = [];
  if (statement.notPrincipal) {
    const { anyone, aws } = statement.principals;
    const account = aws.some((entry) => isAccount(entry, context));
    if (anyone || (account && aws.some((entry) => namesIdentity(entry, candidate)))) return;
    if (account) guesses.push(`its NotPrincipal ${rootOf(context)} does not exempt ${candidate.label}`);
  } else if (!reaches(statement.principals, candidate, context)) {
    return;
  }
  const outcome = iamConditionMatches(statement.condition, request);
  if (outcome.holds === 'no') return;
  if (outcome.unknownKeys.length > 0) guesses.unshift(`conditions on ${outcome.unknownKeys.join(', ')} hold`);
  if (guesses.length === 0) findings.denials.push(statement.name);
  else findings.undecidedDenials.push(`${statement.name} (denies only if ${guesses.join(' and ')})`);
};

const findingsFor = (statements: KeyPolicyStatement[], action: StreamAction, asked: Request): Findings => {
  const findings: Findings = { candidate: asked.candidate, grants: [], denials: [], undecidedDenials: [] };
  for (const statement of statements) {
    if (!appliesTo(statement, action, asked.context.keyArn)) continue;
    if (statement.effect === 'Allow') allowFindings(statement, asked, findings);
    else denyFindings(statement, asked, findings);
  }
  return findings;
};

/** How sure an allowed candidate is: 0 when nothing is assumed and no Deny is left undecided. */
const doubts = (findings: Findings): number =>
  (findings.grants.every((grant) => grant.assumed.length > 0) ? 1 : 0) + (findings.undecidedDenials.length > 0 ? 1 : 0);

/** For one action: the candidate that may call it (the surest), or the problem. */
type ActionVerdict = { allowed: true; findings: Findings } | { allowed: false; problem: string };

const actionVerdict = (
  all: Findings[],
  action: StreamAction,
  context: KeyPolicyContext,
  notes: ReadonlySet<string>
): ActionVerdict => {
  const allowed = all.filter((findings) => findings.grants.length > 0 && findings.denials.length === 0);
  const surest = allowed.reduce<Findings | undefined>(
    (best, findings) => (best === undefined || doubts(findings) < doubts(best) ? findings : best),
    undefined
  );
  if (surest !== undefined) return { allowed: true, findings: surest };
  const denials = unique(all.filter((findings) => findings.grants.length > 0).flatMap((findings) => findings.denials));
  if (denials.length > 0) return { allowed: false, problem: `${action} is explicitly denied by ${denials.join(', ')}` };
  const near = notes.size > 0 ? `; ${[...notes].join('; ')}` : '';
  return {
    allowed: false,
    problem: `no statement allows ${action} to a principal of account ${context.account} via ${viaServiceOf(context)} for stream ${context.streamArn} (grant ${rootOf(context)} to enable IAM policies, or the producers' and consumers' roles${near})`,
  };
};

const unique = (items: string[]): string[] => [...new Set(items)];

/** `kms:X by <who> (<statement>)`, assuming nothing if a grant for that candidate assumes nothing. */
const grantOf = (action: StreamAction, findings: Findings): { text: string; assumed: string[] } => {
  const grant =
    findings.grants.find((one) => one.assumed.length === 0) ?? (findings.grants[0] as Findings['grants'][0]);
  return { text: `${action} by ${findings.candidate.label} (${grant.name})`, assumed: grant.assumed };
};

/**
 * Evaluates a key policy (the JSON of kms:GetKeyPolicy) for one stream: may some IAM principal of the stream's
 * account, whose own IAM policies allow it, call kms:GenerateDataKey (produce) and some call kms:Decrypt
 * (consume) on the key through Kinesis for this stream (`kms:ViaService`, `kms:CallerAccount`, the encryption
 * context `aws:kinesis:arn` = the stream ARN), with no explicit Deny shutting them out? Synchronous and pure, no
 * AWS call.
 *
 * A subset of IAM policy evaluation: an explicit Deny wins, then any Allow; it is evaluated for each principal the
 * policy names and for one it does not name, and the reason names who may call each action and the statement that
 * decided. Conditions on keys not known here (aws:PrincipalOrgID, principal tags, …) are assumed to hold on an
 * Allow and not to hold on a Deny — a key is never failed on a guess — and are named in the reason. Grants, SCPs,
 * RCPs and VPC endpoint policies are not considered.
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
  const statements = read.statements;
  const contextKeys = contextKeysOf(statements);
  const candidates = candidatesOf(statements, context).map((candidate) => ({
    candidate,
    request: requestContextOf(context, candidate, contextKeys),
  }));
  const verdicts = STREAM_ACTIONS.map((action) => {
    const notes = new Set<string>();
    const all = candidates.map((one) => findingsFor(statements, action, { ...one, context, notes }));
    return actionVerdict(all, action, context, notes);
  });
  const problems = verdicts.flatMap((verdict) => (verdict.allowed ? [] : [verdict.problem]));
  if (problems.length > 0) return { usable: false, reason: `key policy of ${context.keyArn}: ${problems.join('; ')}` };
  const allowed = verdicts.flatMap((verdict) => (verdict.allowed ? [verdict.findings] : []));
  const grants = allowed.map((findings, index) => grantOf(STREAM_ACTIONS[index] as StreamAction, findings));
  const assumed = unique(grants.flatMap((grant) => grant.assumed));
  const undecided = unique(allowed.flatMap((findings) => findings.undecidedDenials));
  const assuming = assumed.length > 0 ? `, assuming conditions on ${assumed.join(', ')} hold (not evaluated)` : '';
  const denying = undecided.length > 0 ? `; not counted: ${undecided.join(', ')}` : '';
  return {
    usable: true,
    reason: `key policy of ${context.keyArn} allows ${grants.map((grant) => grant.text).join(' and ')} via ${viaServiceOf(context)} for stream ${context.streamArn}${assuming}${denying}`,
  };
};
