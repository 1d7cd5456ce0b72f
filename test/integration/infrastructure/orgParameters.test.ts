import { ORG_PACKAGE } from '../../helpers/orgPackage';
import { PackageFailedError, packageTemplate } from '../../helpers/packageTemplate';

/**
 * Runs `serverless package` and returns what it printed when it failed (undefined when it packaged). An empty
 * value omits the parameter (osls refuses `--param name=`).
 */
const packagingError = async (params: Record<string, string>): Promise<string | undefined> => {
  try {
    const given = Object.fromEntries(Object.entries(params).filter(([, value]) => value !== ''));
    await packageTemplate({ stage: 'orgcheck', params: given });
    return undefined;
  } catch (error) {
    if (error instanceof PackageFailedError) return error.output;
    throw error;
  }
};

describe('stage parameters of deployment=org, checked when packaging (osls accepts any value)', () => {
  // Id formats: Organizations API reference, Organization / OrganizationalUnit / Root
  // (https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html).
  it.each<{ change: string; params: Record<string, string>; message: string }>([
    {
      change: 'no organizationId (omitted)',
      params: { organizationId: '' },
      message: 'organizationId=(empty) is not an organization id',
    },
    {
      change: 'a short organizationId',
      params: { organizationId: 'o-bad' },
      message: 'organizationId=o-bad is not an organization id',
    },
    {
      change: 'an account id as target',
      params: { memberTargets: '123456789012' },
      message: 'memberTargets=123456789012 has 123456789012, expected values like ou-abcd-11111111 or r-abcd',
    },
    { change: 'no memberTargets (omitted)', params: { memberTargets: '' }, message: 'memberTargets=(empty) is empty' },
    {
      change: 'a misspelt region',
      params: { memberRegions: 'us-east-1,eu-west' },
      message: "memberRegions=us-east-1,eu-west has eu-west, not a region the AWS SDK's partition data knows",
    },
    {
      change: 'a region twice',
      params: { memberRegions: 'us-east-1,us-east-1' },
      message: 'memberRegions=us-east-1,us-east-1 lists a value twice',
    },
    { change: 'an unknown StackSet caller', params: { stackSetCallAs: 'ADMIN' }, message: 'stackSetCallAs=ADMIN' },
    {
      change: 'a sweep ListAccounts role that is not a role ARN',
      params: { sweepAccountsRoleArn: 'bad' },
      message: 'sweepAccountsRoleArn=bad is not an IAM role ARN',
    },
    {
      change: 'more OUs than one StackSet operation takes',
      params: {
        memberTargets: Array.from({ length: 51 }, (_, index) => `ou-abcd-${String(index).padStart(8, '0')}`).join(','),
      },
      message: ' lists 51 values, at most 50',
    },
    // Monitoring parameters (deploy/monitoring.yml), checked in every deployment.
    {
      change: 'an alarm e-mail without a domain',
      params: { alarmEmail: 'secops' },
      message: 'alarmEmail=secops is not one e-mail address',
    },
    {
      change: 'two alarm e-mails',
      params: { alarmEmail: 'a@example.com,b@example.com' },
      message: 'alarmEmail=a@example.com,b@example.com is not one e-mail address',
    },
    {
      change: 'an exposure bound of 0 minutes',
      params: { maxExposureMinutes: '0' },
      message: 'maxExposureMinutes=0 is not a whole number of minutes from 1 to 1440',
    },
    {
      change: 'an exposure bound in seconds',
      params: { maxExposureMinutes: '15s' },
      message: 'maxExposureMinutes=15s is not a whole number of minutes from 1 to 1440',
    },
    {
      change: 'an unknown deployment',
      params: { deployment: 'organisation' },
      message: 'deployment=organisation is not one of account, org',
    },
  ])('fails `serverless package` on $change', async ({ params, message }) => {
    // Prepare
    const wrong = { ...ORG_PACKAGE.params, ...params };

    // Act
    const output = await packagingError(wrong);

    // Assess
    expect(output).toContain(message);
    expect(output?.split('invalid stage parameters')).toHaveLength(2);
    expect(output).not.toMatch(/^\s+at /m);
  });

  it('packages the parameters of the issue, a root target and several OUs', async () => {
    // Prepare
    const params = { ...ORG_PACKAGE.params, memberTargets: 'r-abcd,ou-abcd-11111111,ou-abcd-22222222' };

    // Act
    const output = await packagingError(params);

    // Assess
    expect(output).toBeUndefined();
  }, 300_000);
});
