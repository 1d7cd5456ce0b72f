import { InvalidEventError } from '../../../src/domain/errors';
import { assertGovernedRegion } from '../../../src/events/assertGovernedRegion';
import { parseStreamEvent } from '../../../src/events/parseStreamEvent';
import { createStreamEvent } from '../../helpers/createStreamEvent';

// The envelope's `account` and `region` are EventBridge's: a bus that receives another account's event keeps the
// sender's account (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html), and no
// caller can put an event whose source starts with "aws." (event structure reference, `source`:
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html). So a member can only ever
// send CloudTrail records of its own account and region.
const HUB = { account: '111111111111', region: 'us-east-1' };
const REGIONS = { hubRegion: HUB.region, memberRegions: ['us-east-1', 'eu-west-1'] };
const OPTIONS = { homeFromEnvelope: true, ownRoleName: 'kinesis-auto-encrypt-member' };

const MEMBER = '222222222222';
const VICTIM = '333333333333';
const arn = (account: string, region: string, name = 'orders') => `arn:aws:kinesis:${region}:${account}:stream/${name}`;

/** What the hub does with an event: the stream it acts on, Ignored, or Rejected with the issues. */
const accept = (event: unknown): string => {
  try {
    const parsed = parseStreamEvent(event, OPTIONS);
    if (parsed.kind === 'Ignored') return `Ignored: ${parsed.reason}`;
    assertGovernedRegion(parsed.request, REGIONS);
    return parsed.request.streamArn;
  } catch (error) {
    if (!(error instanceof InvalidEventError)) throw error;
    return `Rejected: ${error.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`;
  }
};

/** An event a member sends: envelope of `account`/`region`, CloudTrail record as given. */
const sent = (account: string, region: string, detail: Record<string, unknown> = {}) =>
  createStreamEvent({ account, region, detail });
const startEncryption = (streamARN: string) => ({
  eventName: 'StartStreamEncryption',
  requestParameters: { streamARN, encryptionType: 'KMS', keyId: 'alias/x' },
  userIdentity: {
    arn: 'arn:aws:sts::222222222222:assumed-role/Admin/alice',
    sessionContext: { sessionIssuer: { arn: 'arn:aws:iam::222222222222:role/Admin' } },
  },
});
const byRole = (issuer: string) => ({
  eventName: 'StopStreamEncryption',
  requestParameters: { streamName: 'orders' },
  userIdentity: { arn: 'arn:aws:sts::x:assumed-role/r/s', sessionContext: { sessionIssuer: { arn: issuer } } },
});

describe('organisation hub: which events it acts on', () => {
  it.each([
    ["a member's own stream, by name", sent(MEMBER, 'eu-west-1'), arn(MEMBER, 'eu-west-1')],
    [
      "a member's own stream, by ARN",
      sent(MEMBER, 'us-east-1', startEncryption(arn(MEMBER, 'us-east-1'))),
      arn(MEMBER, 'us-east-1'),
    ],
    ["the hub's own stream", sent(HUB.account, HUB.region), arn(HUB.account, HUB.region)],
    [
      'a forged stream of another member (ARN of the victim)',
      sent(MEMBER, 'us-east-1', startEncryption(arn(VICTIM, 'us-east-1'))),
      `Rejected: detail.requestParameters.streamARN: account ${VICTIM} is not ${MEMBER} of the event`,
    ],
    [
      "a member's stream ARN in another region than the event's",
      sent(MEMBER, 'us-east-1', startEncryption(arn(MEMBER, 'eu-west-1'))),
      'Rejected: detail.requestParameters.streamARN: region eu-west-1 is not us-east-1 of the event',
    ],
    [
      'a record naming another recipient account than the envelope',
      sent(MEMBER, 'us-east-1', { recipientAccountId: VICTIM }),
      `Rejected: detail.recipientAccountId: account ${VICTIM} is not ${MEMBER} that sent the event`,
    ],
    [
      'a record of another region than the envelope',
      sent(MEMBER, 'us-east-1', { awsRegion: 'eu-west-1' }),
      'Rejected: detail.awsRegion: region eu-west-1 is not us-east-1 where the event was sent from',
    ],
    [
      'a region outside MEMBER_REGIONS',
      sent(MEMBER, 'ap-southeast-2'),
      'Rejected: detail.awsRegion: stream is in ap-southeast-2, which this hub does not govern (MEMBER_REGIONS us-east-1,eu-west-1, hub us-east-1)',
    ],
    [
      'the member role of any account (its own call)',
      sent(VICTIM, 'eu-west-1', byRole(`arn:aws:iam::${VICTIM}:role/kinesis-auto-encrypt-member`)),
      `Ignored: StopStreamEncryption made by this pipeline (arn:aws:iam::${VICTIM}:role/kinesis-auto-encrypt-member): its own call`,
    ],
    [
      'a look-alike role name (not its own call)',
      sent(MEMBER, 'eu-west-1', byRole(`arn:aws:iam::${MEMBER}:role/kinesis-auto-encrypt-member-admin`)),
      arn(MEMBER, 'eu-west-1'),
    ],
    [
      'the member role name under a path (not its own call)',
      sent(MEMBER, 'eu-west-1', byRole(`arn:aws:iam::${MEMBER}:role/team/kinesis-auto-encrypt-member`)),
      arn(MEMBER, 'eu-west-1'),
    ],
  ])('%s', (_label, event, expected) => {
    // Act
    const outcome = accept(event);

    // Assess
    expect(outcome).toBe(expected);
  });

  it('keeps the account rules without the envelope option (account deployment: the recipient account)', () => {
    // Prepare
    const event = sent(MEMBER, 'us-east-1', { recipientAccountId: VICTIM });

    // Act
    const parsed = parseStreamEvent(event);

    // Assess
    expect(parsed).toMatchObject({
      kind: 'Trigger',
      request: { account: VICTIM, streamArn: arn(VICTIM, 'us-east-1') },
    });
  });
});
