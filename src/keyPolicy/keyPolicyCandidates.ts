import { iamPatternMatches } from './iamMatch';
import type { KeyPolicyPrincipals, KeyPolicyStatement } from './keyPolicyStatements';

/** The account whose principals a key policy is read for. */
export interface AccountScope {
  account: string;
  partition: string;
}

/** Stands for every principal of the account the policy does not name: a role no policy names. */
const ANY_ROLE = 'role/any-principal-of-the-account';

const SESSION = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/;

export const rootOf = (context: AccountScope): string => `arn:${context.partition}:iam::${context.account}:root`;
export const isAccount = (entry: string, context: AccountScope): boolean =>
  entry === context.account || entry === rootOf(context);

/** A principal of the stream's account the policy is asked about. */
export interface Candidate {
  /** The request's principal. */
  arn: string;
  /** aws:PrincipalArn: the role of a role session, else the principal itself. */
  principalArn: string;
  /** How the reason names it. */
  label: string;
}

/** An IAM user or role, a role session or a federated user of the stream's account (not its root). */
const isPrincipalOfAccount = (arn: string, context: AccountScope): boolean => {
  const iam = `arn:${context.partition}:iam::${context.account}:`;
  const sts = `arn:${context.partition}:sts::${context.account}:`;
  return (
    (arn.startsWith(iam) && /^(role|user)\/./.test(arn.slice(iam.length))) ||
    (arn.startsWith(sts) && /^(assumed-role\/[^/]+|federated-user)\/./.test(arn.slice(sts.length)))
  );
};

/** A principal of the account an aws:PrincipalArn value names, or one it matches (`*` → `any`, `?` → `x`). */
const instanceOf = (pattern: string, context: AccountScope): string | undefined => {
  const parts = pattern.split(':');
  if (parts.length < 6) return undefined;
  const service = parts[2] === 'sts' ? 'sts' : 'iam';
  const resource = parts.slice(5).join(':').replaceAll('*', 'any').replaceAll('?', 'x');
  const arn = `arn:${context.partition}:${service}::${context.account}:${resource}`;
  return isPrincipalOfAccount(arn, context) && iamPatternMatches(pattern, arn) ? arn : undefined;
};

/**
 * Who may produce or consume: one principal the policy does not name (standing for all of them: the account
 * root, the account id and "*" reach them alike), and each principal of the account the policy names — in a
 * Principal or NotPrincipal, or by an aws:PrincipalArn condition.
 */
export const candidatesOf = (statements: KeyPolicyStatement[], context: AccountScope): Candidate[] => {
  const named = new Set<string>();
  for (const statement of statements) {
    for (const entry of statement.principals.aws) if (isPrincipalOfAccount(entry, context)) named.add(entry);
    for (const keys of Object.values(statement.condition)) {
      for (const [key, values] of Object.entries(keys)) {
        if (key.toLowerCase() !== 'aws:principalarn') continue;
        for (const value of values) {
          const arn = instanceOf(value, context);
          if (arn !== undefined) named.add(arn);
        }
      }
    }
  }
  const anyone = `arn:${context.partition}:iam::${context.account}:${ANY_ROLE}`;
  return [
    { arn: anyone, principalArn: anyone, label: `principals of account ${context.account}` },
    ...[...named].map((arn) => ({ arn, principalArn: arn.replace(SESSION, 'arn:$1:iam::$2:role/$3'), label: arn })),
  ];
};

/** Whether a Principal entry names the candidate itself: its ARN, or the role of a role session. */
export const namesIdentity = (entry: string, candidate: Candidate): boolean => {
  if (entry === candidate.arn) return true;
  const session = SESSION.exec(candidate.arn);
  if (session === null) return false;
  const role = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(entry);
  return role !== null && role[1] === session[1] && role[2] === session[2] && role[3] === session[3];
};

/** A Principal reaches the candidate: "*", its account (the root delegates to IAM policies), or itself. */
export const reaches = (principals: KeyPolicyPrincipals, candidate: Candidate, context: AccountScope): boolean =>
  principals.anyone || principals.aws.some((entry) => isAccount(entry, context) || namesIdentity(entry, candidate));
