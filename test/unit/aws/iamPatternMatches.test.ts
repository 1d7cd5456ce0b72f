import { iamPatternMatches } from '../../../src/aws/iamPatternMatches';

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
