import { type IamCondition, iamConditionMatches, iamPatternMatches } from '../../../src/keyPolicy/iamMatch';

// "If the key that you specify in a policy condition is not present in the request context, the values do not
// match and the condition is false. If the policy condition requires that the key is not matched, such as
// StringNotLike or ArnNotLike, and the right key is not present, the condition is true" — except ...IfExists and
// Null; multiple keys are ANDed, multiple values of a key ORed ("IAM JSON policy elements: Condition operators",
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
// ForAllValues "also returns true if there are no context keys in the request" ("Single-valued vs. multivalued
// context keys", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html).
const context = new Map<string, string | undefined>([
  ['kms:viaservice', 'kinesis.eu-west-1.amazonaws.com'],
  ['aws:principalarn', 'arn:aws:iam::111122223333:role/producer'],
  ['aws:sourceaccount', undefined],
  ['kms:encryptioncontext:aws:kinesis:arn', 'arn:aws:kinesis:eu-west-1:111122223333:stream/orders'],
]);
const KEYS = 'kms:EncryptionContextKeys';
const multivalued = new Map([['kms:encryptioncontextkeys', ['a', 'b']]]);

describe('iamConditionMatches', () => {
  it.each<[string, IamCondition, 'yes' | 'no' | 'unknown']>([
    [
      'StringEquals on a present key',
      { StringEquals: { 'kms:ViaService': ['kinesis.eu-west-1.amazonaws.com'] } },
      'yes',
    ],
    [
      'a condition key in other letter case',
      { StringEquals: { 'KMS:VIASERVICE': ['kinesis.eu-west-1.amazonaws.com'] } },
      'yes',
    ],
    [
      'StringEquals values ORed',
      { StringEquals: { 'kms:ViaService': ['s3.eu-west-1.amazonaws.com', 'kinesis.eu-west-1.amazonaws.com'] } },
      'yes',
    ],
    [
      'StringEquals is case-sensitive',
      { StringEquals: { 'kms:ViaService': ['KINESIS.eu-west-1.amazonaws.com'] } },
      'no',
    ],
    ['StringLike with ?', { StringLike: { 'kms:ViaService': ['kinesis.eu-west-?.amazonaws.com'] } }, 'yes'],
    ['StringNotLike on a matching value', { StringNotLike: { 'kms:ViaService': ['kinesis.*'] } }, 'no'],
    ['StringEquals on an absent key', { StringEquals: { 'aws:SourceAccount': ['111122223333'] } }, 'no'],
    ['StringNotEquals on an absent key', { StringNotEquals: { 'aws:SourceAccount': ['111122223333'] } }, 'yes'],
    ['StringEqualsIfExists on an absent key', { StringEqualsIfExists: { 'aws:SourceAccount': ['1'] } }, 'yes'],
    ['ForAllValues on an absent key', { 'ForAllValues:StringEquals': { 'aws:SourceAccount': ['1'] } }, 'yes'],
    ['ForAnyValue on an absent key', { 'ForAnyValue:StringEquals': { 'aws:SourceAccount': ['1'] } }, 'no'],
    [
      'ForAnyValue:StringNotLike on a present key',
      { 'ForAnyValue:StringNotLike': { 'kms:ViaService': ['s3.*'] } },
      'yes',
    ],
    ['Null "true" on an absent key', { Null: { 'aws:SourceAccount': ['true'] } }, 'yes'],
    ['Null "true" on a present key', { Null: { 'kms:ViaService': ['true'] } }, 'no'],
    ['ArnLike per ARN part', { ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/*'] } }, 'yes'],
    ['ArnLike with fewer than six parts', { ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam::*'] } }, 'no'],
    ['ArnLike with * alone', { ArnLike: { 'aws:PrincipalArn': ['*'] } }, 'no'],
    ['ArnLike with a colon in the resource part', { ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:*'] } }, 'yes'],
    [
      'ArnNotEquals on the same ARN',
      { ArnNotEquals: { 'aws:PrincipalArn': ['arn:aws:iam::111122223333:role/producer'] } },
      'no',
    ],
    ['Bool on an absent key', { Bool: { 'aws:SourceAccount': ['true'] } }, 'no'],
    ['an unknown key', { StringEquals: { 'aws:PrincipalOrgID': ['o-1'] } }, 'unknown'],
    ['an operator not evaluated here', { IpAddress: { 'kms:ViaService': ['10.0.0.0/8'] } }, 'unknown'],
    ['a policy variable', { StringEquals: { 'kms:ViaService': ['${aws:PrincipalTag/service}'] } }, 'unknown'],
    [
      'a failing key beside an unknown one',
      { StringEquals: { 'aws:PrincipalOrgID': ['o-1'], 'kms:ViaService': ['s3'] } },
      'no',
    ],
  ])('decides %s', (_label, condition, holds) => {
    // Act
    const outcome = iamConditionMatches(condition, context);

    // Assess
    expect(outcome.holds).toBe(holds);
  });

  it('names the unknown keys a condition depends on', () => {
    // Act
    const outcome = iamConditionMatches(
      { StringEquals: { 'aws:PrincipalOrgID': ['o-1'], 'kms:ViaService': ['kinesis.eu-west-1.amazonaws.com'] } },
      context
    );

    // Assess
    expect(outcome).toEqual({ holds: 'unknown', unknownKeys: ['aws:PrincipalOrgID'], failedKeys: [] });
  });

  it('names the keys whose condition does not hold', () => {
    // Act
    const outcome = iamConditionMatches(
      {
        StringEquals: { 'aws:PrincipalOrgID': ['o-1'], 'kms:ViaService': ['kinesis.eu-west-1.amazonaws.com'] },
        StringLike: { 'kms:EncryptionContext:aws:kinesis:arn': ['arn:aws:kinesis:*:111122223333:stream/payments-*'] },
      },
      context
    );

    // Assess
    expect(outcome).toEqual({
      holds: 'no',
      unknownKeys: ['aws:PrincipalOrgID'],
      failedKeys: ['kms:EncryptionContext:aws:kinesis:arn'],
    });
  });

  // kms:EncryptionContextKeys is multivalued ("AWS KMS condition keys",
  // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-encryption-context-keys):
  // ForAnyValue holds when one request value matches, ForAllValues when every one does ("Single-valued vs.
  // multivalued context keys", page above); a multivalued key needs a set operator (iam-simulate: no match without).
  it.each<[string, IamCondition, 'yes' | 'no']>([
    ['ForAnyValue:StringEquals, one value matches', { 'ForAnyValue:StringEquals': { [KEYS]: ['b'] } }, 'yes'],
    ['ForAnyValue:StringEquals, none matches', { 'ForAnyValue:StringEquals': { [KEYS]: ['c'] } }, 'no'],
    ['ForAllValues:StringEquals, all match', { 'ForAllValues:StringEquals': { [KEYS]: ['a', 'b', 'c'] } }, 'yes'],
    ['ForAllValues:StringEquals, one does not', { 'ForAllValues:StringEquals': { [KEYS]: ['a'] } }, 'no'],
    ['ForAnyValue:StringNotEquals, one value differs', { 'ForAnyValue:StringNotEquals': { [KEYS]: ['a'] } }, 'yes'],
    ['ForAllValues:StringNotLike, one value matches', { 'ForAllValues:StringNotLike': { [KEYS]: ['a*'] } }, 'no'],
    ['StringEquals without a set operator', { StringEquals: { [KEYS]: ['a'] } }, 'no'],
    ['StringNotEquals without a set operator', { StringNotEquals: { [KEYS]: ['c'] } }, 'no'],
  ])('decides %s on a multivalued key', (_label, condition, holds) => {
    // Act
    const outcome = iamConditionMatches(condition, multivalued);

    // Assess
    expect(outcome.holds).toBe(holds);
  });
});

// "You can use wildcards (* or ?) in the action name" and actions are not case-sensitive ("IAM JSON policy
// elements: Action", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html);
// StringLike: "case-sensitive matching ... can include a multi-character match wildcard (*) and a
// single-character match wildcard (?)" ("Condition operators",
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
describe('iamPatternMatches', () => {
  it.each([
    ['kms:*', 'kms:GenerateDataKey', false, true],
    ['*', 'arn:aws:kms:eu-west-1:111122223333:key/k', false, true],
    ['kms:Generate*', 'kms:GenerateDataKey', false, true],
    ['kms:GenerateDataKey*', 'kms:GenerateDataKey', false, true],
    ['kms:Decrypt?', 'kms:Decrypt', false, false],
    ['kinesis.eu-west-?.amazonaws.com', 'kinesis.eu-west-1.amazonaws.com', false, true],
    ['kms:Generate.ataKey', 'kms:GenerateDataKey', false, false],
    ['kms:(Decrypt|Encrypt)', 'kms:Decrypt', false, false],
    ['KMS:decrypt', 'kms:Decrypt', false, false],
    ['KMS:decrypt', 'kms:Decrypt', true, true],
  ])('matches %s against %s (ignoreCase %s): %s', (pattern, value, ignoreCase, matches) => {
    // Act
    const result = iamPatternMatches(pattern, value, ignoreCase);

    // Assess
    expect(result).toBe(matches);
  });
});
