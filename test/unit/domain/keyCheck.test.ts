import { RetryableError } from '../../../src/domain/errors';
import { KeyProblem, KeyUnusableError, ThrottledError } from '../../../src/domain/failures';
import type { KeyFacts, KeyPort } from '../../../src/domain/keyCheck';
import { KeyCheck } from '../../../src/domain/keyCheck';
import { usableKeyFacts } from '../../fakes/fakeKeys';

const usable: KeyFacts = usableKeyFacts('arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
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
    await check.check('alias/a');
    now = 999;
    await check.check('alias/a');
    now = 1000;
    const verdict = await check.check('alias/a');

    // Assess
    expect(verdict).toEqual({ usable: true, facts: usable });
    expect(describeKey).toHaveBeenCalledTimes(2);
  });

  it('forgets a verdict on invalidate', async () => {
    // Prepare
    describeKey.mockResolvedValue(usable);
    const check = new KeyCheck(keys, { ttlMs: 60_000 });
    await check.check('alias/a');

    // Act
    check.invalidate('alias/a');
    await check.check('alias/a');

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
    const verdict = await check.check('alias/a');

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
    const verdict = await check.check('alias/a');

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
    await expect(check.check('alias/a')).rejects.toThrow(RetryableError);
  });

  describe('key policy pre-flight', () => {
    const deployment = { partition: 'aws', region: 'eu-west-1', account: '123456789012' };
    const denies = {
      usable: false,
      reason: 'no statement allows kms:GenerateDataKey to principals of account 123456789012',
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
        const check = jest.fn().mockResolvedValue(policy);
        const onWarning = jest.fn();
        const keyCheck = new KeyCheck(keys, { ttlMs: 0, policies: { port: { check }, deployment, mode, onWarning } });

        // Act
        const verdict = await keyCheck.check('alias/a');

        // Assess
        expect(verdict.usable).toBe(usableExpected);
        expect(onWarning).toHaveBeenCalledTimes(warnings);
        expect(check).toHaveBeenCalledTimes(mode === 'off' || keyManager === 'AWS' ? 0 : 1);
        if (!verdict.usable) {
          expect(verdict.reason).toMatch(/cannot serve the stream's producers and consumers: no statement allows/);
          expect(verdict.error.name).toBe('KeyPolicyDenies');
        }
      }
    );
  });
});
