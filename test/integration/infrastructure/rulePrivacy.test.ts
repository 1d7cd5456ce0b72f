import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseStreamEvent } from '../../../src/events/parseStreamEvent';
import { applyInputTransformer, type InputTransformer } from '../../../tools/dev';
import { createStreamEvent } from '../../helpers/createStreamEvent';
import { type CloudFormationTemplate, packageTemplate } from '../../helpers/packageTemplate';

const REPO_ROOT = join(__dirname, '..', '..', '..');
/** What identifies a person or a machine in a CloudTrail record (CloudTrail record contents:
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html). */
const IDENTIFYING = ['sourceIPAddress', 'accessKeyId', 'principalId', 'tlsDetails', 'vpcEndpointId', 'attributes'];
/** The identity the function reads: the actor of a drift and the role of the session (own-call filter). */
const ALLOWED_IDENTITY = ['invokedBy', 'arn', 'sessionContext'];

describe('the rule passes the function only the fields it reads', () => {
  let template: CloudFormationTemplate;
  let transformer: InputTransformer;

  beforeAll(async () => {
    ({ template } = await packageTemplate());
    const rule = Object.values(template.Resources).find((resource) => resource.Type === 'AWS::Events::Rule');
    const target = (
      (rule?.Properties?.Targets ?? []) as {
        InputTransformer?: { InputPathsMap: Record<string, string>; InputTemplate: string };
      }[]
    )[0];
    if (target?.InputTransformer === undefined) throw new Error('the rule target has no InputTransformer');
    transformer = {
      inputPathsMap: target.InputTransformer.InputPathsMap,
      inputTemplate: target.InputTransformer.InputTemplate,
    };
  }, 120_000);

  it.each([
    [
      'the saved fixture event',
      JSON.parse(readFileSync(join(REPO_ROOT, 'test/fixtures/events/create-stream.json'), 'utf8')),
    ],
    [
      'an event of the test helper',
      createStreamEvent({
        detail: {
          userIdentity: {
            type: 'AssumedRole',
            invokedBy: 'cloudformation.amazonaws.com',
            arn: 'arn:aws:sts::123456789012:assumed-role/x/y',
            accessKeyId: 'ASIA',
            principalId: 'AROAEXAMPLE:y',
            sessionContext: {
              sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::123456789012:role/x', principalId: 'AROAEXAMPLE' },
              attributes: { creationDate: '2026-11-25T10:00:00Z', mfaAuthenticated: 'false' },
            },
          },
        },
      }),
    ],
  ])('%s: only the actor and session role reach the function, and it parses to the same request', (_label, event) => {
    // Act
    const delivered = applyInputTransformer(transformer, event);
    const text = JSON.stringify(delivered);

    // Assess
    for (const field of IDENTIFYING) expect(text).not.toContain(`"${field}"`);
    const identity = (delivered as { detail: { userIdentity: Record<string, unknown> } }).detail.userIdentity;
    expect(Object.keys(identity)).toEqual(ALLOWED_IDENTITY);
    expect(Object.keys(identity.sessionContext as object)).toEqual(['sessionIssuer']);
    expect(Object.keys((identity.sessionContext as { sessionIssuer: object }).sessionIssuer)).toEqual(['arn']);
    expect(parseStreamEvent(delivered)).toEqual(parseStreamEvent(event));
  });
});
