import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { mockClient } from 'aws-sdk-client-mock';
import { type DeploymentScope, deploymentTargets } from '../../../src/sweep/deploymentTargets';

const HUB = '111111111111';
const MEMBER = '222222222222';
const OTHER = '333333333333';
const ROLE = 'kinesis-auto-encrypt-member';

const sts = mockClient(STSClient);
/** The sweep role's own credentials (the hub account's). */
const credentials: AwsCredentialIdentityProvider = () =>
  Promise.resolve({ accessKeyId: 'HUB-OWN', secretAccessKey: 'secret' });

const scopeOf = (
  hubRegion: string,
  memberRegions: readonly string[] | undefined,
  accounts: readonly string[]
): DeploymentScope => ({
  home: { partition: 'aws', account: HUB, region: hubRegion },
  ...(memberRegions !== undefined && { organization: { memberRoleName: ROLE, memberRegions } }),
  listAccounts: () => Promise.resolve([...accounts]),
  describePerSecond: 10,
  keyPolicyCheck: 'enforce',
  credentials,
});

const planned = async (scope: DeploymentScope): Promise<string[]> => {
  const targets = await deploymentTargets(scope, { sweepId: 'sweep-1', counts: {}, note: () => {} });
  return targets.planned.map((entry) =>
    'error' in entry
      ? `${entry.account}/${entry.region} ${entry.error}`
      : `${entry.target.account}/${entry.target.region}`
  );
};

describe('deploymentTargets', () => {
  it.each([
    {
      case: 'an account deployment: its own account and region',
      hubRegion: 'us-east-1',
      memberRegions: undefined,
      accounts: [],
      expected: [`${HUB}/us-east-1`],
    },
    {
      // issue 21 item 5: the hub account is governed in every member region (its forward StackSet), so it is swept
      // there too, with its own credentials.
      case: 'a hub: the hub account in every member region, each member in every member region',
      hubRegion: 'us-east-1',
      memberRegions: ['us-east-1', 'eu-west-1'],
      accounts: [HUB, MEMBER, OTHER],
      expected: [
        `${HUB}/us-east-1`,
        `${HUB}/eu-west-1`,
        `${MEMBER}/us-east-1`,
        `${MEMBER}/eu-west-1`,
        `${OTHER}/us-east-1`,
        `${OTHER}/eu-west-1`,
      ],
    },
    {
      case: 'a hub whose region is not a member region: the hub region and every member region',
      hubRegion: 'us-east-1',
      memberRegions: ['eu-west-1', 'ap-southeast-2'],
      accounts: [MEMBER, HUB],
      expected: [
        `${HUB}/us-east-1`,
        `${HUB}/eu-west-1`,
        `${HUB}/ap-southeast-2`,
        `${MEMBER}/eu-west-1`,
        `${MEMBER}/ap-southeast-2`,
      ],
    },
    {
      // The hub inside memberTargets has a member stack too: it is still swept once per region, as the hub.
      case: 'a hub listed among the accounts twice and a region listed twice: each account-region once',
      hubRegion: 'eu-west-1',
      memberRegions: ['us-east-1', 'eu-west-1', 'us-east-1'],
      accounts: [HUB, MEMBER, HUB, MEMBER],
      expected: [`${HUB}/eu-west-1`, `${HUB}/us-east-1`, `${MEMBER}/us-east-1`, `${MEMBER}/eu-west-1`],
    },
  ])('plans $case', async ({ hubRegion, memberRegions, accounts, expected }) => {
    // Prepare
    const scope = scopeOf(hubRegion, memberRegions, accounts);

    // Act
    const targets = await planned(scope);

    // Assess
    expect(targets).toEqual(expected);
    expect(new Set(targets).size).toBe(targets.length);
  });

  it('reaches the hub account with its own credentials and a member through the member role', async () => {
    // Prepare
    sts.reset();
    sts.on(AssumeRoleCommand).callsFake((input: { RoleArn: string }) => ({
      Credentials: {
        AccessKeyId: `ROLE ${input.RoleArn}`,
        SecretAccessKey: 'secret',
        SessionToken: 'token',
        Expiration: new Date(Date.now() + 3_600_000),
      },
    }));
    const scope = scopeOf('us-east-1', ['us-east-1', 'eu-west-1'], [HUB, MEMBER]);
    const targets = await deploymentTargets(scope, { sweepId: 'sweep-1', counts: {}, note: () => {} });

    // Act
    const providers = await Promise.all(
      targets.planned.map(async (entry) => {
        if ('error' in entry) return `${entry.account}: ${entry.error}`;
        const identity = await entry.clients.kinesis.config.credentials();
        return `${entry.target.account}/${entry.target.region}: ${identity.accessKeyId}`;
      })
    );

    // Assess
    expect(providers).toEqual([
      `${HUB}/us-east-1: HUB-OWN`,
      `${HUB}/eu-west-1: HUB-OWN`,
      `${MEMBER}/us-east-1: ROLE arn:aws:iam::${MEMBER}:role/${ROLE}`,
      `${MEMBER}/eu-west-1: ROLE arn:aws:iam::${MEMBER}:role/${ROLE}`,
    ]);
  });
});
