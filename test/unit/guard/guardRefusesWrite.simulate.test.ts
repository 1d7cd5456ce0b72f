import { DEFAULT_MEMBER_ROLE_NAME, guardPolicy } from '../../../src/guard/guardPolicy';
import { guardRefusesWrite } from '../../../src/guard/guardRefusesWrite';
import { simulateUnderGuard } from '../../helpers/simulateGuard';

// "Enforce would refuse" (the prepare report's question) must be the SCP's own answer: for a table of stream tags,
// the generated policy evaluated by @cloud-copilot/iam-simulate (as guardPolicy.simulate.test.ts does) for a producer's
// PutRecord and PutRecords, against guardRefusesWrite. AWS behaviour relied on: Kinesis writes take
// aws:ResourceTag/${TagKey} (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonkinesisdatastreams.html);
// Null "true" holds when the key is absent, StringNotEqualsIgnoreCase holds when it is absent
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html); tag keys
// in condition keys match without case ("Controlling access to AWS resources using tags", aws:ResourceTag,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_tags.html).

const ACCOUNT = '111122223333';
const STREAM = `arn:aws:kinesis:eu-west-1:${ACCOUNT}:stream/orders`;
const PRODUCER = `arn:aws:iam::${ACCOUNT}:role/orders-producer`;
const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

const TAG_CASES: [string, Record<string, string>][] = [
  ['no tags', {}],
  ['other tags only', { team: 'orders', 'kinesis-auto-encrypt:key': 'alias/team' }],
  ['the guard tag', { 'kinesis-auto-encrypt:encrypted': KEY_ARN }],
  ['the guard tag with an empty value', { 'kinesis-auto-encrypt:encrypted': '' }],
  ['the guard tag in other case', { 'Kinesis-Auto-Encrypt:Encrypted': KEY_ARN }],
  ['exempt=true', { 'kinesis-auto-encrypt:exempt': 'true' }],
  ['exempt=TRUE', { 'kinesis-auto-encrypt:exempt': 'TRUE' }],
  ['exempt=false', { 'kinesis-auto-encrypt:exempt': 'false' }],
  ['exempt=yes', { 'kinesis-auto-encrypt:exempt': 'yes' }],
  ['an exempt key in other case', { 'Kinesis-Auto-Encrypt:Exempt': 'true' }],
  ['exempt and guarded', { 'kinesis-auto-encrypt:exempt': 'true', 'kinesis-auto-encrypt:encrypted': KEY_ARN }],
  ['an exemption reason only', { 'kinesis-auto-encrypt:exempt-reason': 'legacy' }],
  ['a look-alike guard key', { 'kinesis-auto-encrypt:encrypted-by': KEY_ARN }],
];

const simulated = async (tags: Record<string, string>, allowExemptions: boolean, action: string): Promise<boolean> => {
  const guard = guardPolicy({
    partition: 'aws',
    memberRoleName: DEFAULT_MEMBER_ROLE_NAME,
    breakGlassRoles: [],
    exemptionApprovers: [],
    allowExemptions,
  }).policy;
  const context = Object.fromEntries(Object.entries(tags).map(([key, value]) => [`aws:ResourceTag/${key}`, value]));
  const decision = await simulateUnderGuard(
    { principal: PRODUCER, action, resource: STREAM, account: ACCOUNT, context },
    guard
  );
  return decision === 'ExplicitlyDenied';
};

describe('guardRefusesWrite agrees with the generated SCP', () => {
  it.each(
    TAG_CASES.flatMap(([label, tags]) =>
      [true, false].flatMap((allowExemptions) =>
        ['kinesis:PutRecord', 'kinesis:PutRecords'].map((action) => [label, allowExemptions, action, tags] as const)
      )
    )
  )('%s, allowExemptions %p, %s', async (_label, allowExemptions, action, tags) => {
    // Act
    const byPolicy = await simulated(tags, allowExemptions, action);
    const byFunction = guardRefusesWrite(tags, { allowExemptions });

    // Assess
    expect(byFunction).toBe(byPolicy);
  });

  it('refuses some and allows some of the table (the comparison can fail both ways)', () => {
    // Act
    const verdicts = TAG_CASES.map(([, tags]) => guardRefusesWrite(tags, { allowExemptions: true }));

    // Assess
    expect(new Set(verdicts)).toEqual(new Set([true, false]));
  });
});
