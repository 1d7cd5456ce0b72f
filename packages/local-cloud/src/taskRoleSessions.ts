import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { statesError } from './statesError';

/** Renewed this long before expiry (the SDK's own refresh window). */
const REFRESH_BEFORE_MS = 300_000;

type Expiring = AwsCredentialIdentity & { expiration: Date };

/**
 * Sessions of the roles Task states name in `Credentials`: Step Functions assumes the role with the state
 * machine's own role (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-access-cross-acct-resources.html).
 * Locally: sts:AssumeRole on the gateway signed with `callerAccessKeyId(account)` (a session of the state machine's
 * role in the execution's account); kept per role until 5 min before expiry. A refused AssumeRole fails the task
 * with `States.TaskFailed`.
 */
export class TaskRoleSessions {
  readonly #endpoint: string;
  readonly #callerAccessKeyId: (account: string) => string;
  readonly #sessionName: string;
  readonly #sts = new Map<string, STSClient>();
  readonly #cached = new Map<string, Expiring>();
  readonly #pending = new Map<string, Promise<Expiring>>();

  constructor(endpoint: string, callerAccessKeyId: (account: string) => string, sessionName: string) {
    this.#endpoint = endpoint;
    this.#callerAccessKeyId = callerAccessKeyId;
    this.#sessionName = sessionName;
  }

  /** Credentials of `roleArn` for a Task of an execution in `account` and `region`. */
  credentials(roleArn: string, account: string, region: string): Promise<AwsCredentialIdentity> {
    const key = `${account}/${roleArn}`;
    const cached = this.#cached.get(key);
    if (cached !== undefined && cached.expiration.getTime() - REFRESH_BEFORE_MS > Date.now()) {
      return Promise.resolve(cached);
    }
    const pending = this.#pending.get(key) ?? this.#assume(key, roleArn, account, region);
    this.#pending.set(key, pending);
    return pending;
  }

  /** Closes the STS clients. */
  destroy(): void {
    for (const client of this.#sts.values()) client.destroy();
    this.#sts.clear();
  }

  async #assume(key: string, roleArn: string, account: string, region: string): Promise<Expiring> {
    try {
      const output = await this.#client(account, region).send(
        new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: this.#sessionName })
      );
      const { AccessKeyId, SecretAccessKey, SessionToken, Expiration } = output.Credentials ?? {};
      if (AccessKeyId === undefined || SecretAccessKey === undefined || Expiration === undefined) {
        throw new Error(`AssumeRole of ${roleArn} returned no credentials`);
      }
      const credentials: Expiring = {
        accessKeyId: AccessKeyId,
        secretAccessKey: SecretAccessKey,
        ...(SessionToken !== undefined && { sessionToken: SessionToken }),
        expiration: Expiration,
      };
      this.#cached.set(key, credentials);
      return credentials;
    } catch (error) {
      throw statesError(
        'States.TaskFailed',
        `Step Functions could not assume ${roleArn}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`
      );
    } finally {
      this.#pending.delete(key);
    }
  }

  #client(account: string, region: string): STSClient {
    const key = `${account}/${region}`;
    let client = this.#sts.get(key);
    if (client === undefined) {
      client = new STSClient({
        endpoint: this.#endpoint,
        region,
        credentials: { accessKeyId: this.#callerAccessKeyId(account), secretAccessKey: 'local' },
        maxAttempts: 3,
      });
      this.#sts.set(key, client);
    }
    return client;
  }
}
