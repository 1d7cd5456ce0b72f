import { RetryableError } from '../../../src/domain/errors';
import { KeyProblem, KeyUnusableError, ThrottledError } from '../../../src/domain/failures';
import type { KeyFacts, KeyPolicyJudge, KeyPort, KeyStream } from '../../../src/domain/keyCheck';
import { KeyCheck } from '../../../src/domain/keyCheck';
import { usableKeyFacts } from '../../fakes/fakeKeys';

const usable: KeyFacts = usableKeyFacts('arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
const deployment = { partition: 'aws', region: 'eu-west-1', account: '123456789012' };
const streamOf = (name: string): KeyStream => ({
  ...deployment,
  streamArn: `arn:aws:kinesis:eu-west-1:123456789012:stream/${name}`,
});
const ORDERS = streamOf('orders');
const unusable = (problem: KeyProblem, code: string) =>
  new KeyUnusableError('alias/a', problem, `KMS key alias/a is ${problem}`, {
    code,
    cause: new Error(`${code} raised`),
  });

describe('KeyCheck', () => {
  const describeKey = jest.fn<Promise<KeyFacts>, [string]>();
  const keys: KeyPort = { describeKey };

  afterEach(() => {
    describeKey.mockReset();
  });

  it('caches a verdict for the TTL, then asks KMS again', async () => {
    // Prepare
    let now = 0;
    describeKey.mockResolvedValue(usable);
    const check = new KeyCheck(keys, { ttlMs: 1000, now: () => now });

    // Act
    await check.check('alias/a', ORDERS);
    now = 999;
    await check.check('alias/a', ORDERS);
    now = 1000;
    const verdict = await check.check('alias/a', ORDERS);

    // Assess
    expect(verdict).toEqual({ usable: true, facts: usable });
    expect(describeKey).toHaveBeenCalledTimes(2);
  });

  it('forgets a verdict on invalidate', async () => {
    // Prepare
    describeKey.mockResolvedValue(usable);
    const check = new KeyCheck(keys, { ttlMs: 60_000 });
    await check.check('alias/a', ORDERS);

    // Act
    check.invalidate('alias/a');
    await check.check('alias/a', ORDERS);

    // Assess
    expect(describeKey).toHaveBeenCalledTimes(2);
  });

  it.each([
    ['disabled', { keyState: 'Disabled', enabled: false }, /state is Disabled/],
    ['pending deletion', { keyState: 'PendingDeletion', enabled: false }, /state is PendingDeletion/],
    ['pending import', { keyState: 'PendingImport', enabled: false }, /state is PendingImport/],
    [
      'a signing key',
      { keyUsage: 'SIGN_VERIFY', keySpec: 'ECC_NIST_P256' },
      /usage is SIGN_VERIFY.*spec is ECC_NIST_P256/,
    ],
    ['an HMAC key', { keyUsage: 'GENERATE_VERIFY_MAC', keySpec: 'HMAC_256' }, /GENERATE_VERIFY_MAC/],
  ])('refuses %s', async (_label, facts, reason) => {
    // Prepare
    describeKey.mockResolvedValue({ ...usable, ...facts });
    const check = new KeyCheck(keys, { ttlMs: 0 });

    // Act
    const verdict = await check.check('alias/a', ORDERS);

    // Assess
    expect(verdict.usable).toBe(false);
    expect(verdict.usable === false && verdict.reason).toMatch(reason);
  });

  it.each([
    [KeyProblem.NotFound, 'NotFoundException'],
    [KeyProblem.Unreadable, 'AccessDeniedException'],
    [KeyProblem.Disabled, 'DisabledException'],
    [KeyProblem.InvalidArn, 'InvalidArnException'],
  ])('refuses a key when the key port says %s (%s)', async (problem, name) => {
    // Prepare
    describeKey.mockRejectedValue(unusable(problem, name));
    const check = new KeyCheck(keys, { ttlMs: 0 });

    // Act
    const verdict = await check.check('alias/a', ORDERS);

    // Assess
    expect(verdict).toMatchObject({ usable: false, error: { name } });
  });

  it.each([
    [
      'KMSInternalException',
      new RetryableError('KMS DescribeKey failed transiently', { code: 'KMSInternalException' }),
    ],
    ['ThrottlingException', new ThrottledError('KMS DescribeKey', { code: 'ThrottlingException' })],
    ['TimeoutError', new RetryableError('KMS DescribeKey failed transiently', { code: 'TimeoutError' })],
  ])('throws a retryable error when KMS cannot answer (%s)', async (_name, failure) => {
    // Prepare
    describeKey.mockRejectedValue(failure);
    const check = new KeyCheck(keys, { ttlMs: 60_000 });

    // Act & Assess
    await expect(check.check('alias/a', ORDERS)).rejects.toThrow(RetryableError);
  });

  describe('key policy pre-flight', () => {
    const denies = {
      usable: false,
      reason: 'no statement allows kms:GenerateDataKey to a principal of account 123456789012',
    };

    it.each([
      ['enforce', 'CUSTOMER', denies, false, 0],
      ['warn', 'CUSTOMER', denies, true, 1],
      ['off', 'CUSTOMER', denies, true, 0],
      ['enforce', 'AWS', denies, true, 0],
      ['enforce', 'CUSTOMER', { usable: true, reason: 'allowed by "Enable IAM User Permissions"' }, true, 0],
    ] as const)(
      'mode %s, %s managed key, policy usable=%s → usable %s',
      async (mode, keyManager, policy, usableExpected, warnings) => {
        // Prepare
        describeKey.mockResolvedValue({ ...usable, keyManager });
        const judge = jest.fn<ReturnType<KeyPolicyJudge>, Parameters<KeyPolicyJudge>>().mockReturnValue(policy);
        const policyOf = jest.fn().mockResolvedValue(judge);
        const onWarning = jest.fn();
        const keyCheck = new KeyCheck(keys, {
          ttlMs: 0,
          policies: { port: { policyOf }, deployment, mode, onWarning },
        });

        // Act
        const verdict = await keyCheck.check('alias/a', ORDERS);

        // Assess
        expect(verdict.usable).toBe(usableExpected);
        expect(onWarning).toHaveBeenCalledTimes(warnings);
        const judged = mode === 'off' || keyManager === 'AWS' ? 0 : 1;
        expect(policyOf).toHaveBeenCalledTimes(judged);
        expect(judge.mock.calls).toEqual(judged === 0 ? [] : [[ORDERS]]);
        if (!verdict.usable) {
          expect(verdict.reason).toMatch(/cannot serve the stream's producers and consumers: no statement allows/);
          expect(verdict.error.name).toBe('KeyPolicyDenies');
        }
      }
    );

    it('reads the key and its policy once per key, and judges the policy for each stream', async () => {
      // Prepare: Kinesis calls KMS with the encryption context aws:kinesis:arn = the stream ARN, so a policy may
      // serve one stream and not another (https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html)
      describeKey.mockResolvedValue(usable);
      const judge: KeyPolicyJudge = (stream) =>
        stream.streamArn.endsWith('/payments-1')
          ? { usable: true, reason: 'allowed for payments-*' }
          : { usable: false, reason: 'statement "Payments" does not apply' };
      const policyOf = jest.fn().mockResolvedValue(judge);
      const keyCheck = new KeyCheck(keys, {
        ttlMs: 60_000,
        policies: { port: { policyOf }, deployment, mode: 'enforce' },
      });

      // Act
      const orders = await keyCheck.check('alias/a', ORDERS);
      const payments = await keyCheck.check('alias/a', streamOf('payments-1'));
      const ordersAgain = await keyCheck.check('alias/a', ORDERS);

      // Assess
      expect(orders).toMatchObject({ usable: false, error: { name: 'KeyPolicyDenies' } });
      expect(payments).toEqual({ usable: true, facts: usable });
      expect(ordersAgain).toEqual(orders);
      expect(describeKey).toHaveBeenCalledTimes(1);
      expect(policyOf).toHaveBeenCalledTimes(1);
      expect(policyOf).toHaveBeenCalledWith(usable.keyArn, deployment);
    });

    it('reads the policy again after invalidate', async () => {
      // Prepare
      describeKey.mockResolvedValue(usable);
      const policyOf = jest.fn().mockResolvedValue(() => ({ usable: true, reason: 'allowed' }));
      const keyCheck = new KeyCheck(keys, {
        ttlMs: 60_000,
        policies: { port: { policyOf }, deployment, mode: 'enforce' },
      });
      await keyCheck.check('alias/a', ORDERS);

      // Act
      keyCheck.invalidate('alias/a');
      await keyCheck.check('alias/a', ORDERS);

      // Assess
      expect(policyOf).toHaveBeenCalledTimes(2);
    });
  });
});
