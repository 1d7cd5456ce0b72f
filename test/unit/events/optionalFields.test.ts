import { parseStreamEvent } from '../../../src/events/parseStreamEvent';
import { applyInputTransformer, ruleFromServerless } from '../../../tools/dev';
import { createStreamEvent } from '../../helpers/createStreamEvent';

// Fields a CloudTrail record may lack (CloudTrail record contents, "Optional: True":
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html):
// recipientAccountId ("Since: 1.02"), userAgent; userIdentity's invokedBy, arn and sessionContext exist for some
// identity types only (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html).
// EventBridge creates no variable for a path the event lacks, and its placeholder is replaced by nothing
// ("Common issues", https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html).

const ACCOUNT = '123456789012';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/Admin`;
const { inputTransformer } = ruleFromServerless();

type Detail = Record<string, unknown>;
/** A CreateStream record with every optional field, as an assumed-role session through CloudFormation writes it. */
const complete = (): ReturnType<typeof createStreamEvent> =>
  createStreamEvent({
    detail: {
      userAgent: 'cloudformation.amazonaws.com',
      userIdentity: {
        type: 'AssumedRole',
        arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/alice`,
        accountId: ACCOUNT,
        invokedBy: 'cloudformation.amazonaws.com',
        sessionContext: { sessionIssuer: { type: 'Role', arn: ROLE, accountId: ACCOUNT } },
      },
    },
  });
const without = (change: (detail: Detail, identity: Detail) => void) => {
  const event = complete();
  change(event.detail, event.detail.userIdentity as Detail);
  return event;
};

const VARIANTS: [string, ReturnType<typeof createStreamEvent>][] = [
  ['every optional field', complete()],
  ['no recipientAccountId (eventVersion 1.01)', without((detail) => delete detail.recipientAccountId)],
  ['no userAgent', without((detail) => delete detail.userAgent)],
  ['no invokedBy', without((_detail, identity) => delete identity.invokedBy)],
  ['no userIdentity.arn', without((_detail, identity) => delete identity.arn)],
  ['no sessionContext (an IAM user)', without((_detail, identity) => delete identity.sessionContext)],
  ['an empty sessionContext', without((_detail, identity) => (identity.sessionContext = {}))],
  ['no userIdentity', without((detail) => delete detail.userIdentity)],
  [
    'none of them',
    without((detail) => {
      delete detail.recipientAccountId;
      delete detail.userAgent;
      delete detail.userIdentity;
    }),
  ],
];

describe('optional CloudTrail fields', () => {
  it.each(VARIANTS)('the rule delivers a record with %s as JSON, and it parses to a trigger', (_label, event) => {
    // Prepare
    if (inputTransformer === undefined) throw new Error('the rule has no input transformer');

    // Act
    const delivered = applyInputTransformer(inputTransformer, event);
    const parsed = parseStreamEvent(delivered);

    // Assess
    expect(parsed).toMatchObject({
      kind: 'Trigger',
      request: { trigger: 'CreateStream', account: ACCOUNT, region: 'eu-west-1', streamName: 'orders' },
    });
    expect(parsed).toEqual(parseStreamEvent(event));
  });

  it.each([
    ['absent', undefined],
    ['null', null],
    ['empty', ''],
    ['an empty array (the transformer, path absent)', []],
  ])('reads each optional field %s as absent', (_label, value) => {
    // Prepare
    const set = (record: Detail, key: string) => {
      if (value === undefined) delete record[key];
      else record[key] = value;
    };
    const event = without((detail, identity) => {
      for (const key of ['recipientAccountId', 'userAgent']) set(detail, key);
      for (const key of ['invokedBy', 'arn']) set(identity, key);
      set((identity.sessionContext as { sessionIssuer: Detail }).sessionIssuer, 'arn');
    });

    // Act
    const parsed = parseStreamEvent(event, { ownRoleArns: [ROLE] });

    // Assess: not the own role (no issuer), no IaC engine (no user agent, no invokedBy), the envelope's account.
    expect(parsed).toMatchObject({ kind: 'Trigger', request: { account: ACCOUNT, iacEngine: undefined } });
  });

  it('reads a field the transformer delivered as [value] as that value', () => {
    // Prepare
    const event = without((detail, identity) => {
      detail.recipientAccountId = [ACCOUNT];
      identity.invokedBy = ['cloudformation.amazonaws.com'];
      (identity.sessionContext as { sessionIssuer: Detail }).sessionIssuer.arn = [ROLE];
    });

    // Act
    const own = parseStreamEvent(event, { ownRoleArns: [ROLE] });
    const other = parseStreamEvent(event);

    // Assess
    expect(own).toMatchObject({ kind: 'Ignored', reason: expect.stringContaining(ROLE) });
    expect(other).toMatchObject({ kind: 'Trigger', request: { iacEngine: 'CloudFormation' } });
  });
});
