import { InvalidKeyIdError } from '../../../src/domain/errors';
import { KeyIdForm, parseKeyId } from '../../../src/domain/keyId';

describe('parseKeyId', () => {
  it.each([
    ['1234abcd-12ab-34cd-56ef-1234567890ab', KeyIdForm.KeyId],
    ['mrk-1234abcd12ab34cd56ef1234567890ab', KeyIdForm.KeyId],
    ['arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab', KeyIdForm.KeyArn],
    ['arn:aws-cn:kms:cn-north-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab', KeyIdForm.KeyArn],
    ['arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab', KeyIdForm.KeyArn],
    ['arn:aws-eusc:kms:eusc-de-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab', KeyIdForm.KeyArn],
    ['arn:aws-iso-f:kms:us-isof-south-1:111122223333:alias/ExampleAlias', KeyIdForm.AliasArn],
    ['arn:aws:kms:us-east-1:111122223333:alias/ExampleAlias', KeyIdForm.AliasArn],
    ['alias/ExampleAlias', KeyIdForm.AliasName],
    ['alias/team/data_streams-1', KeyIdForm.AliasName],
    ['alias/aws/kinesis', KeyIdForm.AwsManagedKinesis],
  ])('accepts %s as %s', (value, form) => {
    // Act
    const parsed = parseKeyId(value, 'kmsKeyId');

    // Assess
    expect(parsed).toEqual({ value, form });
  });

  it('trims surrounding whitespace', () => {
    // Act & Assess
    expect(parseKeyId('  alias/x \n', 'X').value).toBe('alias/x');
  });

  it.each([
    [''],
    ['not-a-key'],
    ['1234ABCD-12AB-34CD-56EF-1234567890AB'],
    ['1234abcd-12ab-34cd-56ef-1234567890a'],
    ['alias/'],
    ['alias'],
    ['alias/with space'],
    ['alias/a//b'],
    ['arn:aws:kms:us-east-1:1111:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
    ['arn:aws:s3:::bucket'],
    ['arn:aws:kms:us-east-1:111122223333:key/not-a-guid'],
    ['arn:aws:kms:us-east-1:111122223333:alias/'],
    [`alias/${'a'.repeat(251)}`],
    ['alias/ünïcode'],
  ])('rejects %j with a message naming the source', (value) => {
    // Act & Assess
    expect(() => parseKeyId(value, 'kmsKeyId')).toThrow(InvalidKeyIdError);
    expect(() => parseKeyId(value, 'kmsKeyId')).toThrow(/kmsKeyId is not a valid KMS KeyId/);
  });
});
