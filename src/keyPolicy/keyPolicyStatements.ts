import type { IamCondition } from './iamMatch';

/** Who a Principal / NotPrincipal names: anyone (`*`), and the `AWS` entries (Service and others dropped). */
export interface KeyPolicyPrincipals {
  anyone: boolean;
  aws: string[];
}

/** One statement of a key policy, normalised to lists. */
export interface KeyPolicyStatement {
  /** `statement "<Sid>"`, or `statement #<1-based index>` without a Sid. */
  name: string;
  effect: 'Allow' | 'Deny';
  principals: KeyPolicyPrincipals;
  /** True when the statement has NotPrincipal: `principals` are the exceptions. */
  notPrincipal: boolean;
  actions: string[];
  notAction: boolean;
  resources: string[];
  notResource: boolean;
  condition: IamCondition;
}

/** The statements of a policy, or what makes it impossible to evaluate. */
export type KeyPolicyStatements = { valid: true; statements: KeyPolicyStatement[] } | { valid: false; problem: string };

class ShapeError extends Error {}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const strings = (value: unknown, what: string): string[] => {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every((item) => typeof item === 'string')) {
    throw new ShapeError(`${what} must be a string or a list of strings`);
  }
  return list as string[];
};

const principalsOf = (value: unknown, what: string): KeyPolicyPrincipals => {
  if (value === '*') return { anyone: true, aws: [] };
  if (!isObject(value)) throw new ShapeError(`${what} must be "*" or an object such as {"AWS": …}`);
  const aws = value.AWS === undefined ? [] : strings(value.AWS, `${what}.AWS`);
  for (const [type, entries] of Object.entries(value)) strings(entries, `${what}.${type}`);
  return { anyone: aws.includes('*'), aws: aws.filter((entry) => entry !== '*') };
};

const conditionOf = (value: unknown): IamCondition => {
  if (value === undefined) return {};
  if (!isObject(value)) throw new ShapeError('Condition must be an object');
  const condition: Record<string, Record<string, string[]>> = {};
  for (const [operator, keys] of Object.entries(value)) {
    if (!isObject(keys)) throw new ShapeError(`Condition ${operator} must map condition keys to values`);
    condition[operator] = Object.fromEntries(
      Object.entries(keys).map(([key, values]) => {
        const list = Array.isArray(values) ? values : [values];
        if (!list.every((item) => ['string', 'boolean', 'number'].includes(typeof item))) {
          throw new ShapeError(`Condition ${operator} ${key} must hold strings, booleans or numbers`);
        }
        return [key, list.map(String)];
      })
    );
  }
  return condition;
};

/** Exactly one of two alternative elements (Action / NotAction …), as [value, isTheNotForm]. */
const oneOf = (statement: Record<string, unknown>, element: string): [unknown, boolean] => {
  const plain = statement[element];
  const negated = statement[`Not${element}`];
  if ((plain === undefined) === (negated === undefined)) {
    throw new ShapeError(`needs exactly one of ${element} and Not${element}`);
  }
  return plain === undefined ? [negated, true] : [plain, false];
};

const statementOf = (value: unknown, index: number): KeyPolicyStatement => {
  if (!isObject(value)) throw new ShapeError(`statement #${index + 1} is not an object`);
  const name = typeof value.Sid === 'string' ? `statement "${value.Sid}"` : `statement #${index + 1}`;
  try {
    const { Effect: effect } = value;
    if (effect !== 'Allow' && effect !== 'Deny')
      throw new ShapeError(`Effect must be Allow or Deny, not ${JSON.stringify(effect)}`);
    const [principal, notPrincipal] = oneOf(value, 'Principal');
    const [actions, notAction] = oneOf(value, 'Action');
    // KMS stores no key policy without Resource; if absent anyway, it is taken as "*" (this key).
    const [resources, notResource] =
      value.Resource === undefined && value.NotResource === undefined ? ['*', false] : oneOf(value, 'Resource');
    return {
      name,
      effect,
      principals: principalsOf(principal, notPrincipal ? 'NotPrincipal' : 'Principal'),
      notPrincipal,
      actions: strings(actions, notAction ? 'NotAction' : 'Action'),
      notAction,
      resources: strings(resources, notResource ? 'NotResource' : 'Resource'),
      notResource,
      condition: conditionOf(value.Condition),
    };
  } catch (error) {
    throw error instanceof ShapeError ? new ShapeError(`${name}: ${error.message}`) : error;
  }
};

/**
 * Reads the statements of a parsed key policy (`Statement` an object or a list), checking the
 * shape IAM requires of a resource policy: Effect, one of Principal/NotPrincipal and Action/NotAction,
 * at most one of Resource/NotResource, and a Condition of operator → key → values.
 */
export const keyPolicyStatements = (policy: unknown): KeyPolicyStatements => {
  try {
    if (!isObject(policy)) throw new ShapeError('the policy is not a JSON object');
    const { Statement: statement } = policy;
    if (statement === undefined) throw new ShapeError('the policy has no Statement');
    const list = Array.isArray(statement) ? statement : [statement];
    return { valid: true, statements: list.map(statementOf) };
  } catch (error) {
    if (error instanceof ShapeError) return { valid: false, problem: error.message };
    throw error;
  }
};
