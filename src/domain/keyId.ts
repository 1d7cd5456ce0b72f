import { InvalidKeyIdError } from './errors';

/** The five KeyId forms Kinesis accepts. */
export const KeyIdForm = {
  KeyId: 'KeyId',
  KeyArn: 'KeyArn',
  AliasArn: 'AliasArn',
  AliasName: 'AliasName',
  AwsManagedKinesis: 'AwsManagedKinesis',
} as const;

export type KeyIdForm = (typeof KeyIdForm)[keyof typeof KeyIdForm];

/** A KeyId checked against the KMS formats. */
export interface ParsedKeyId {
  value: string;
  form: KeyIdForm;
}

/** The AWS managed key for Kinesis: needs no customer key policy. */
export const AWS_MANAGED_KINESIS_ALIAS = 'alias/aws/kinesis';

const KEY_ID = '(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})';
const ALIAS_NAME = 'alias/[a-zA-Z0-9/_-]{1,250}';
const ARN_PREFIX = 'arn:aws(?:-[a-z]+)*:kms:[a-z]{2,4}(?:-[a-z]+)+-\\d+:\\d{12}:';

const patterns: ReadonlyArray<[KeyIdForm, RegExp]> = [
  [KeyIdForm.AwsManagedKinesis, /^alias\/aws\/kinesis$/],
  [KeyIdForm.KeyId, new RegExp(`^${KEY_ID}$`)],
  [KeyIdForm.KeyArn, new RegExp(`^${ARN_PREFIX}key/${KEY_ID}$`)],
  [KeyIdForm.AliasArn, new RegExp(`^${ARN_PREFIX}${ALIAS_NAME}$`)],
  [KeyIdForm.AliasName, new RegExp(`^${ALIAS_NAME}$`)],
];

/** Classifies a KeyId, or returns undefined when it is none of the five forms. */
export const classifyKeyId = (value: string): KeyIdForm | undefined => {
  if (value.length > 2048 || value.includes('//') || value.endsWith('/')) return undefined;
  return patterns.find(([, pattern]) => pattern.test(value))?.[0];
};

/**
 * Parses a KeyId in any of the five forms.
 * @param source - what the value came from, named in the error (e.g. the stage parameter `kmsKeyId`)
 * @throws {InvalidKeyIdError} when the value is none of them
 */
export const parseKeyId = (value: string, source: string): ParsedKeyId => {
  const trimmed = value.trim();
  const form = classifyKeyId(trimmed);
  if (form === undefined) throw new InvalidKeyIdError(value, source);
  return { value: trimmed, form };
};
