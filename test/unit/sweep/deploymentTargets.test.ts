import { DescribeKeyCommand, GetKeyPolicyCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { deploymentTargets } from '../../../src/sweep/deploymentTargets';

const kms = mockClient(KMSClient);
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
      KeyMetadata: {
        KeyId: 'k',
        Arn: KEY_ARN,
        Enabled: true,
        KeyState: 'Enabled',
        KeyUsage: 'ENCRYPT_DECRYPT',
        KeySpec: 'SYMMETRIC_DEFAULT',
        KeyManager: 'CUSTOMER',
      },
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
