import { InvalidEventError } from '../../../src/domain/errors';
import { parseStreamEvent } from '../../../src/events/parseStreamEvent';
import { createStreamEvent } from '../../helpers/createStreamEvent';

// CloudTrail records the request as the caller sent it; since 2022 the Kinesis APIs accept StreamARN instead of
// StreamName ("StreamARN: The ARN of the stream", e.g. StopStreamEncryption / StartStreamEncryption /
// AddTagsToStream / RemoveTagsFromStream in the Amazon Kinesis Data Streams API Reference:
// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_StopStreamEncryption.html).
// The newer tagging API, TagResource / UntagResource, names a stream or a consumer by ResourceARN and carries Tags /
// TagKeys (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_TagResource.html,
// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UntagResource.html); a consumer ARN is
// arn:aws:kinesis:<region>:<account>:stream/<stream>/consumer/<consumer>:<creation timestamp>
// (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_RegisterStreamConsumer.html).
// userIdentity of an assumed-role session: type AssumedRole, arn arn:aws:sts::<account>:assumed-role/<role>/<session>,
// sessionContext.sessionIssuer.arn the role's ARN (CloudTrail userIdentity element:
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html).

const ACCOUNT = '123456789012';
const ARN = `arn:aws:kinesis:eu-west-1:${ACCOUNT}:stream/orders`;
const FUNCTION_ROLE = `arn:aws:iam::${ACCOUNT}:role/kinesis-auto-encrypt-dev-EncryptStreamRole-ABC`;
const MACHINE_ROLE = `arn:aws:iam::${ACCOUNT}:role/kinesis-auto-encrypt-dev-ConfirmEncryptionStateMachineRole-DEF`;
const OWN = { ownRoleArns: [FUNCTION_ROLE, MACHINE_ROLE] };
const ALICE = `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/alice@example.com`;
const CONSUMER = `${ARN}/consumer/analytics:1700000000`;

const sessionOf = (roleArn: string) => ({
  type: 'AssumedRole',
  principalId: 'AROAEXAMPLE:session',
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${roleArn.split('/').pop()}/session`,
  accountId: ACCOUNT,
  accessKeyId: 'ASIAEXAMPLE',
  sessionContext: { sessionIssuer: { type: 'Role', arn: roleArn, accountId: ACCOUNT } },
});

const trigger = (eventName: string, requestParameters: Record<string, unknown>, detail: Record<string, unknown> = {}) =>
  createStreamEvent({ detail: { eventName, requestParameters, ...detail } });

const issuesOf = (event: unknown): { path: string; message: string }[] => {
  try {
    parseStreamEvent(event, OWN);
  } catch (error) {
    if (error instanceof InvalidEventError) return error.issues;
    throw error;
  }
  return [];
};

describe('parseStreamEvent: triggers', () => {
  it.each([
    ['CreateStream', { streamName: 'orders', shardCount: 1 }, 'CreateStream'],
    [
      'StopStreamEncryption by name',
      { streamName: 'orders', encryptionType: 'KMS', keyId: 'k' },
      'StopStreamEncryption',
    ],
    ['StopStreamEncryption by ARN only', { streamARN: ARN, encryptionType: 'KMS', keyId: 'k' }, 'StopStreamEncryption'],
    ['StartStreamEncryption by name and ARN', { streamName: 'orders', streamARN: ARN }, 'StartStreamEncryption'],
    ['AddTagsToStream', { streamARN: ARN, tags: { 'kinesis-auto-encrypt:key': 'alias/team' } }, 'TagsChanged'],
    ['RemoveTagsFromStream', { streamName: 'orders', tagKeys: ['kinesis-auto-encrypt:exempt'] }, 'TagsChanged'],
    ['TagResource', { resourceARN: ARN, tags: { team: 'a', 'kinesis-auto-encrypt:key': 'alias/team' } }, 'TagsChanged'],
    ['UntagResource', { resourceARN: ARN, tagKeys: ['kinesis-auto-encrypt:exempt'] }, 'TagsChanged'],
  ])('%s → trigger %s on the same stream', (label, requestParameters, expected) => {
    // Prepare
    const event = trigger(label.split(' ')[0] ?? '', requestParameters);

    // Act
    const parsed = parseStreamEvent(event, OWN);

    // Assess
    expect(parsed).toMatchObject({
      kind: 'Trigger',
      request: { trigger: expected, streamName: 'orders', streamArn: ARN, account: ACCOUNT, region: 'eu-west-1' },
    });
  });

  it.each([
    ['another account', 'arn:aws:kinesis:eu-west-1:210987654321:stream/orders', 'account 210987654321'],
    ['another region', `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/orders`, 'region us-east-1'],
    ['another partition', `arn:aws-cn:kinesis:eu-west-1:${ACCOUNT}:stream/orders`, 'partition aws-cn'],
    ['not a stream ARN', `arn:aws:sqs:eu-west-1:${ACCOUNT}:orders`, 'expected arn:'],
    ['another stream than streamName', `arn:aws:kinesis:eu-west-1:${ACCOUNT}:stream/other`, 'names stream other'],
  ])('rejects a streamARN of %s', (_label, streamARN, message) => {
    // Prepare
    const event = trigger('StopStreamEncryption', {
      streamARN,
      ...(message.startsWith('names') && { streamName: 'orders' }),
    });

    // Act
    const issues = issuesOf(event);

    // Assess
    expect(issues).toEqual([{ path: 'detail.requestParameters.streamARN', message: expect.stringContaining(message) }]);
  });

  it.each([
    ['another account', 'arn:aws:kinesis:eu-west-1:210987654321:stream/orders', 'account 210987654321'],
    ['another partition', `arn:aws-us-gov:kinesis:eu-west-1:${ACCOUNT}:stream/orders`, 'partition aws-us-gov'],
    ['not a Kinesis ARN', `arn:aws:sqs:eu-west-1:${ACCOUNT}:orders`, 'expected arn:'],
  ])('rejects a TagResource resourceARN of %s', (_label, resourceARN, message) => {
    // Act
    const issues = issuesOf(trigger('TagResource', { resourceARN, tags: { 'kinesis-auto-encrypt:exempt': 'true' } }));

    // Assess
    expect(issues).toEqual([
      { path: 'detail.requestParameters.resourceARN', message: expect.stringContaining(message) },
    ]);
  });

  it.each([
    ['TagResource', { resourceARN: CONSUMER, tags: { 'kinesis-auto-encrypt:exempt': 'true' } }],
    ['UntagResource', { resourceARN: CONSUMER, tagKeys: ['kinesis-auto-encrypt:exempt'] }],
  ])('ignores %s on a stream consumer (not rejected)', (eventName, requestParameters) => {
    // Act
    const parsed = parseStreamEvent(trigger(eventName, requestParameters), OWN);

    // Assess
    expect(parsed).toMatchObject({ kind: 'Ignored', eventName, reason: expect.stringContaining('consumer') });
  });

  it('rejects a trigger that names no stream', () => {
    // Act
    const issues = issuesOf(trigger('StopStreamEncryption', { encryptionType: 'KMS' }));

    // Assess
    expect(issues.map((issue) => issue.path)).toEqual(['detail.requestParameters']);
  });

  it.each([
    ['StartStreamEncryption of the function role', 'StartStreamEncryption', FUNCTION_ROLE],
    ['StopStreamEncryption of the state machine role', 'StopStreamEncryption', MACHINE_ROLE],
    ['CreateStream of the function role', 'CreateStream', FUNCTION_ROLE],
    ['TagResource of the function role', 'TagResource', FUNCTION_ROLE],
    ['UntagResource of the state machine role', 'UntagResource', MACHINE_ROLE],
  ])('ignores the pipeline’s own call: %s', (_label, eventName, roleArn) => {
    // Prepare
    const parameters = eventName.endsWith('Resource')
      ? { resourceARN: ARN, tags: { 'kinesis-auto-encrypt:exempt': 'true' }, tagKeys: ['kinesis-auto-encrypt:exempt'] }
      : { streamName: 'orders' };
    const event = trigger(eventName, parameters, { userIdentity: sessionOf(roleArn) });

    // Act
    const parsed = parseStreamEvent(event, OWN);

    // Assess
    expect(parsed).toEqual({
      kind: 'Ignored',
      eventId: event.detail.eventID,
      eventName,
      reason: expect.stringContaining(roleArn),
    });
  });

  it('acts on a StartStreamEncryption by another role of the same account', () => {
    // Prepare
    const other = `arn:aws:iam::${ACCOUNT}:role/Admin`;
    const event = trigger('StartStreamEncryption', { streamName: 'orders' }, { userIdentity: sessionOf(other) });

    // Act
    const parsed = parseStreamEvent(event, OWN);

    // Assess
    expect(parsed).toMatchObject({ kind: 'Trigger', request: { trigger: 'StartStreamEncryption' } });
  });

  it.each([
    ['AddTagsToStream of team tags', 'AddTagsToStream', { streamName: 'orders', tags: { team: 'analytics' } }],
    ['RemoveTagsFromStream of team tags', 'RemoveTagsFromStream', { streamName: 'orders', tagKeys: ['team'] }],
    [
      'AddTagsToStream of a lookalike key',
      'AddTagsToStream',
      { streamName: 'orders', tags: { 'kinesis-auto-encrypt': 'x' } },
    ],
    ['TagResource of team tags', 'TagResource', { resourceARN: ARN, tags: { team: 'analytics' } }],
    ['UntagResource of team tags', 'UntagResource', { resourceARN: ARN, tagKeys: ['team'] }],
  ])('ignores a tag change without a kinesis-auto-encrypt: key: %s', (_label, eventName, requestParameters) => {
    // Act
    const parsed = parseStreamEvent(trigger(eventName, requestParameters), OWN);

    // Assess
    expect(parsed).toMatchObject({
      kind: 'Ignored',
      eventName,
      reason: expect.stringContaining('kinesis-auto-encrypt:'),
    });
  });

  it.each([
    ['CreateStream', { streamName: 'orders', tags: { a: 'b' } }, { tags: { a: 'b' }, actor: undefined }],
    ['StopStreamEncryption', { streamName: 'orders' }, { tags: undefined, actor: ALICE, iacEngine: undefined }],
    [
      'AddTagsToStream',
      { streamName: 'orders', tags: { 'kinesis-auto-encrypt:exempt': 'true' } },
      { tags: undefined, actor: ALICE },
    ],
  ])('%s: tags only from a creation, the actor only for drift and tag triggers', (eventName, parameters, expected) => {
    // Prepare: a Terraform user agent, which gives the IaC grace to a creation only.
    const event = trigger(eventName, parameters, { userAgent: 'Terraform/1.9.8' });

    // Act
    const parsed = parseStreamEvent(event, OWN);

    // Assess
    if (parsed.kind !== 'Trigger') throw new Error(parsed.reason);
    expect({ tags: parsed.request.tags, actor: parsed.request.actor }).toEqual({
      tags: expected.tags,
      actor: expected.actor,
    });
    expect(parsed.request.iacEngine).toBe(eventName === 'CreateStream' ? 'Terraform' : undefined);
  });
});
