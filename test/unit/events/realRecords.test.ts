import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRecord } from '../../../src/domain/isRecord';
import { parseStreamEvent } from '../../../src/events/parseStreamEvent';
import { applyInputTransformer, matchesPattern, REPO_ROOT, ruleFromServerless } from '../../../tools/dev';

// Real-shaped CloudTrail records of every trigger (test/fixtures/cloudtrail/README.md: each file cites what it copies),
// through what AWS does with them: the rule's event pattern, its input transformer (a path the event lacks creates
// no variable: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html), then the
// function's parser. A bare record is wrapped as EventBridge delivers CloudTrail events on the account's default bus:
// source aws.<service>, detail-type "AWS API Call via CloudTrail", account and region of the recipient
// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html).

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'cloudtrail');
/** The function role of start-stream-encryption.own-role.v1.11.json, as serverless.yml puts it in OWN_ROLE_ARNS. */
const OWN_ROLE_ARNS = ['arn:aws:iam::123456789012:role/kinesis-auto-encrypt-prod-EncryptStreamRole-1A2B3C4D5E6F'];
const rule = ruleFromServerless();

type Json = Record<string, unknown>;
const read = (file: string): Json => JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as Json;

/** The EventBridge event of a saved record: the file itself, or its bare record in the envelope. */
const busEventOf = (saved: Json): Json => {
  if (isRecord(saved.detail)) return saved;
  const identity = isRecord(saved.userIdentity) ? saved.userIdentity : {};
  return {
    version: '0',
    id: '00000000-0000-4000-8000-000000000000',
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.kinesis',
    account: saved.recipientAccountId ?? identity.accountId,
    time: saved.eventTime,
    region: saved.awsRegion,
    resources: [],
    detail: saved,
  };
};

/** What the pipeline must make of a record. */
type Verdict = { reconcile: Json } | { ignored: string } | { noRule: true };

const CASES: [string, Verdict][] = [
  [
    'create-stream.aws-sample.v1.01.json',
    {
      reconcile: {
        trigger: 'CreateStream',
        account: '012345678910',
        region: 'us-east-1',
        partition: 'aws',
        streamName: 'GoodStream',
        iacEngine: undefined,
      },
    },
  ],
  [
    'create-stream.console-switch-role.v1.04.json',
    { reconcile: { trigger: 'CreateStream', account: '123456789012', region: 'eu-central-1', iacEngine: undefined } },
  ],
  [
    'create-stream.cli-sso.v1.09.json',
    { reconcile: { trigger: 'CreateStream', account: '062000000000', streamName: 'clicks-sso', iacEngine: undefined } },
  ],
  ['create-stream.cloudformation.v1.08.json', { reconcile: { trigger: 'CreateStream', iacEngine: 'CloudFormation' } }],
  ['create-stream.terraform.v1.09.json', { reconcile: { trigger: 'CreateStream', iacEngine: 'Terraform' } }],
  [
    'create-stream.sdk-js-tags.v1.10.json',
    {
      reconcile: {
        trigger: 'CreateStream',
        tags: { team: 'compliance', 'kinesis-auto-encrypt:exempt': 'true' },
        iacEngine: undefined,
      },
    },
  ],
  [
    'create-stream.cn-north-1.v1.08.json',
    {
      reconcile: {
        trigger: 'CreateStream',
        partition: 'aws-cn',
        streamArn: 'arn:aws-cn:kinesis:cn-north-1:444455556666:stream/ingest-cn',
      },
    },
  ],
  ['create-stream.failed.v1.09.json', { noRule: true }],
  [
    'stop-stream-encryption.cli-iam-user.v1.05.json',
    {
      reconcile: {
        trigger: 'StopStreamEncryption',
        actor: 'arn:aws:iam::123456789012:user/Alice',
        streamName: 'samplestream',
      },
    },
  ],
  [
    'stop-stream-encryption.by-arn-boto3.v1.09.json',
    { reconcile: { trigger: 'StopStreamEncryption', streamName: 'telemetry', account: '444455556666' } },
  ],
  [
    'stop-stream-encryption.cross-account.v1.08.json',
    {
      reconcile: {
        trigger: 'StopStreamEncryption',
        account: '444455556666',
        streamArn: 'arn:aws:kinesis:us-east-2:444455556666:stream/shared-events',
        actor: 'arn:aws:sts::111122223333:assumed-role/platform-operator/ops-automation',
      },
    },
  ],
  [
    'start-stream-encryption.terraform.v1.09.json',
    { reconcile: { trigger: 'StartStreamEncryption', appliedKeyId: 'alias/team-events' } },
  ],
  ['start-stream-encryption.own-role.v1.11.json', { ignored: 'its own call' }],
  ['add-tags-to-stream.console-exempt.v1.08.json', { reconcile: { trigger: 'TagsChanged', streamName: 'clicks-sso' } }],
  ['add-tags-to-stream.team-tags.v1.02.json', { ignored: 'changed no kinesis-auto-encrypt: tag' }],
  ['remove-tags-from-stream.exempt.v1.05.json', { reconcile: { trigger: 'TagsChanged', streamName: 'samplestream' } }],
  ['remove-tags-from-stream.team.v1.09.json', { noRule: true }],
  [
    'tag-resource.key-tag.v1.11.json',
    {
      reconcile: {
        trigger: 'TagsChanged',
        streamArn: 'arn:aws:kinesis:eu-west-1:444455556666:stream/payments',
        streamName: 'payments',
      },
    },
  ],
  ['tag-resource.consumer.v1.11.json', { ignored: 'consumer' }],
  ['tag-resource.team-tags.v1.10.json', { ignored: 'changed no kinesis-auto-encrypt: tag' }],
  [
    'untag-resource.exempt.v1.11.json',
    { reconcile: { trigger: 'TagsChanged', streamArn: 'arn:aws:kinesis:us-west-2:062000000000:stream/legacy-feed' } },
  ],
  ['untag-resource.team.v1.11.json', { noRule: true }],
];

describe('real-shaped CloudTrail records through the rule, its input transformer and the parser', () => {
  it('has a verdict for every fixture, and every fixture cites its source', () => {
    // Prepare
    const files = readdirSync(FIXTURES).filter((file) => file.endsWith('.json'));

    // Assess
    expect(CASES.map(([file]) => file).sort()).toEqual(files.sort());
    for (const file of files) {
      const source = read(file)._source as { copies?: unknown; urls?: unknown[] } | undefined;
      expect({ file, copies: typeof source?.copies }).toEqual({ file, copies: 'string' });
      expect(source?.urls?.length).toBeGreaterThan(0);
      for (const url of source?.urls ?? []) expect(url).toMatch(/^https:\/\//);
    }
  });

  it.each(CASES)('%s', (file, verdict) => {
    // Prepare
    const event = busEventOf(read(file));
    if (rule.inputTransformer === undefined) throw new Error('the rule has no input transformer');

    // Act
    const matches = matchesPattern(rule.pattern, event);
    const parsed = matches
      ? parseStreamEvent(applyInputTransformer(rule.inputTransformer, event), { ownRoleArns: OWN_ROLE_ARNS })
      : undefined;

    // Assess
    if ('noRule' in verdict) {
      expect(matches).toBe(false);
      return;
    }
    expect(matches).toBe(true);
    const detail = event.detail as Json;
    if ('ignored' in verdict) {
      expect(parsed).toEqual({
        kind: 'Ignored',
        eventId: detail.eventID,
        eventName: detail.eventName,
        reason: expect.stringContaining(verdict.ignored),
      });
      return;
    }
    expect(parsed).toMatchObject({
      kind: 'Trigger',
      request: { eventId: detail.eventID, region: detail.awsRegion, ...verdict.reconcile },
    });
  });
});
