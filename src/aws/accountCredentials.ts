import { AssumeRoleCommand, type AssumeRoleCommandOutput, type STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { RetryableError } from '../domain/errors';
import { assumeRoleFailure } from './assumeRoleFailure';
import { codeOf } from './serviceFailure';

/**
 * Credentials are renewed this long before they expire: the SDK's own refresh window (`EXPIRATION_MS` of
 * @smithy/core, 5 min), so a client never holds credentials this cache would already replace.
 */
const REFRESH_BEFORE_MS = 300_000;
const SESSION_PREFIX = 'kinesis-auto-encrypt@';
/**
 * Waits before each new AssumeRole after `AccessDenied`: an account being onboarded gets its member role from a
 * StackSet operation that may still be running when its first trigger arrives, and a new role can take seconds to
 * be assumable (IAM is eventually consistent: https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency).
 * Bounded (7 s in all) so an account that really refuses still ends `Failed` within the function's timeout.
 */
const ACCESS_DENIED_RETRY_DELAYS_MS: readonly number[] = [1_000, 2_000, 4_000];
const DENIED_CODES = new Set(['AccessDenied', 'AccessDeniedException']);
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Expiring = AwsCredentialIdentity & { expiration: Date };

/** RoleSessionName: 2-64 characters of [\w+=,.@-] (AssumeRole API reference); names the pipeline and the event. */
const sessionNameFor = (eventId: string): string =>
  `${SESSION_PREFIX}${eventId.replace(/[^\w+=,.@-]/g, '-')}`.slice(0, 64);

/**
 * Member-account credentials: `sts:AssumeRole` into `arn:<partition>:iam::<account>:role/<roleName>`, kept per
 * account until 5 min before they expire; concurrent callers of one account share one AssumeRole in flight.
 * `fromTemporaryCredentials` (@aws-sdk/credential-providers) caches nothing itself (each client memoizes its
 * own copy, with a fixed window): with one Kinesis, one apply and one KMS client per account that would be
 * three AssumeRole calls per account, hence this cache shared by every client of an account.
 */
export class AccountCredentials {
  readonly #sts: STSClient;
  readonly #partition: string;
  readonly #roleName: string;
  readonly #now: () => number;
  readonly #deniedRetryDelaysMs: readonly number[];
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #cached = new Map<string, Expiring>();
  readonly #pending = new Map<string, Promise<Expiring>>();

  public constructor(
    sts: STSClient,
    options: {
      partition: string;
      roleName: string;
      now?: () => number;
      /** Waits before retrying an `AccessDenied` (one retry per entry); default 1, 2, 4 s. */
      accessDeniedRetryDelaysMs?: readonly number[];
      sleep?: (ms: number) => Promise<void>;
    }
  ) {
    this.#sts = sts;
    this.#partition = options.partition;
    this.#roleName = options.roleName;
    this.#now = options.now ?? Date.now;
    this.#deniedRetryDelaysMs = options.accessDeniedRetryDelaysMs ?? ACCESS_DENIED_RETRY_DELAYS_MS;
    this.#sleep = options.sleep ?? delay;
  }

  /** The member role of an account. */
  public roleArnOf(account: string): string {
    return `arn:${this.#partition}:iam::${account}:role/${this.#roleName}`;
  }

  /**
   * Credentials of the account's member role; a new session is named after `eventId`, the event that needed it.
   * @throws {AccountUnreachableError} when the role cannot be assumed; {@link RetryableError} when STS throttled or failed
   */
  public async credentialsFor(account: string, eventId: string): Promise<AwsCredentialIdentity> {
    const cached = this.#cached.get(account);
    if (cached !== undefined && cached.expiration.getTime() - REFRESH_BEFORE_MS > this.#now()) return cached;
    const pending = this.#pending.get(account);
    if (pending !== undefined) return pending;
    const assumed = this.#assume(account, eventId).finally(() => this.#pending.delete(account));
    this.#pending.set(account, assumed);
    return assumed;
  }

  async #assume(account: string, eventId: string): Promise<Expiring> {
    const roleArn = this.roleArnOf(account);
    const output = await this.#assumeRetryingDenied(roleArn, eventId, account);
    const { AccessKeyId, SecretAccessKey, SessionToken, Expiration } = output.Credentials ?? {};
    if (AccessKeyId === undefined || SecretAccessKey === undefined || !(Expiration instanceof Date)) {
      throw new RetryableError(`sts:AssumeRole of ${roleArn} returned no credentials`);
    }
    const credentials: Expiring = {
      accessKeyId: AccessKeyId,
      secretAccessKey: SecretAccessKey,
      ...(SessionToken !== undefined && { sessionToken: SessionToken }),
      expiration: Expiration,
    };
    this.#cached.set(account, credentials);
    return credentials;
  }

  /** AssumeRole; `AccessDenied` is tried again after each of the retry delays, then translated like any error. */
  async #assumeRetryingDenied(roleArn: string, eventId: string, account: string): Promise<AssumeRoleCommandOutput> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.#sts.send(
          new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionNameFor(eventId) })
        );
      } catch (error) {
        const wait = this.#deniedRetryDelaysMs[attempt];
        if (wait === undefined || !DENIED_CODES.has(codeOf(error))) throw assumeRoleFailure(error, account, roleArn);
        await this.#sleep(wait);
      }
    }
  }
}
