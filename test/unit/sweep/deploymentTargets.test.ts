import { DescribeKeyCommand, GetKeyPolicyCommand, KMSClient } from '@aws-sdk/client-kms';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { mockClient } from 'aws-sdk-client-mock';
import { type DeploymentScope, deploymentTargets } from '../../../src/sweep/deploymentTargets';
import { usableKeyMetadata } from '../../helpers/kmsKeyMetadata';

const HUB = '111111111111';
const MEMBER = '222222222222';
const OTHER = '333333333333';
const ROLE = 'kinesis-auto-encrypt-member';

const sts = mockClient(STSClient);
const kms = mockClient(KMSClient);
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
  const places = await deploymentTargets(scope, { sweepId: 'sweep-1', counts: {}, note: () => {} });
  return places.map(({ account, region }) => `${account}/${region}`);
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
      // Region by region: consecutive account-regions are of different accounts (each its own describe budget).
      expected: [
        `${HUB}/us-east-1`,
        `${HUB}/eu-west-1`,
        `${MEMBER}/us-east-1`,
        `${OTHER}/us-east-1`,
        `${MEMBER}/eu-west-1`,
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
    const places = await deploymentTargets(scope, { sweepId: 'sweep-1', counts: {}, note: () => {} });

    // Act: each account-region opened, its clients' credentials resolved (aws-sdk-client-mock answers send itself)
    const identities = await Promise.all(
      places.map(async (place) => {
        const identity = await place.open().clients.cloudwatch.config.credentials();
        return `${place.account}/${place.region}: ${identity.accessKeyId}`;
      })
    );

    // Assess: the hub with its own credentials, a member through the member role, in every region
    expect(identities).toEqual([
      `${HUB}/us-east-1: HUB-OWN`,
      `${HUB}/eu-west-1: HUB-OWN`,
      `${MEMBER}/us-east-1: ROLE arn:aws:iam::${MEMBER}:role/${ROLE}`,
      `${MEMBER}/eu-west-1: ROLE arn:aws:iam::${MEMBER}:role/${ROLE}`,
    ]);
  });
});

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }],
});

describe('deploymentTargets: an account-region opened again (pre-flight, then each step) asks KMS once per key', () => {
  beforeEach(() => {
    kms.reset();
    kms.on(DescribeKeyCommand).resolves({
      KeyMetadata: usableKeyMetadata(KEY_ARN),
    });
    kms.on(GetKeyPolicyCommand).resolves({ Policy: POLICY });
  });

  it('the key pre-flight and the checks of later opens share the account-region’s key answers', async () => {
    // Prepare
    const [place] = await deploymentTargets(
      {
        home: { partition: 'aws', account: ACCOUNT, region: REGION },
        listAccounts: async () => [],
        describePerSecond: 10,
        keyPolicyCheck: 'enforce',
        credentials: async () => ({ accessKeyId: 'AKID', secretAccessKey: 'secret' }),
      },
      { sweepId: 's', counts: {}, note: () => {} }
    );

    // Act
    const first = await place?.open().target.ports.keyCheck.checkKey(KEY_ARN);
    const again = await place?.open().target.ports.keyCheck.check(KEY_ARN, {
      partition: 'aws',
      account: ACCOUNT,
      region: REGION,
      streamArn: `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/orders`,
    });

    // Assess
    expect(first).toMatchObject({ usable: true });
    expect(again).toMatchObject({ usable: true });
    expect(kms.commandCalls(DescribeKeyCommand)).toHaveLength(1);
    expect(kms.commandCalls(GetKeyPolicyCommand)).toHaveLength(1);
  });
});
