import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { LocalRequest, LocalResponse, LocalService } from './gateway';
import { isRecord } from './isRecord';
import { userIdentityFor } from './localIdentities';
import { issueRoleSession } from './localSessions';
import { trustAllows } from './trustPolicy';

/** One AssumeRole call the local STS answered (emitted as `assumeRole`). */
export interface AssumeRoleRecord {
  at: number;
  /** ARN of the caller (an IAM user or a role session). */
  callerArn: string;
  /** Access key id the call was signed with. */
  callerAccessKeyId: string;
  /** Session token the call was signed with (tells execution environments of one role apart). */
  callerSessionToken: string;
  roleArn: string;
  /** Account of the role. */
  account: string;
  sessionName: string;
  allowed: boolean;
}

/** An AWS Query-protocol error of STS (https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html). */
const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
const ROLE_ARN = /^arn:(aws[\w-]*):iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

const xmlEscape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const xml = (body: string, status = 200): LocalResponse => ({
  status,
  headers: { 'content-type': 'text/xml' },
  body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}\n`,
});

/** The Query-protocol error shape: `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>`. */
export const stsError = (code: string, message: string, status = 400): LocalResponse =>
  xml(
    `<ErrorResponse xmlns="${STS_NAMESPACE}"><Error><Type>Sender</Type><Code>${code}</Code>` +
      `<Message>${xmlEscape(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
    status
  );

const isoSeconds = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Local STS (Query protocol on the gateway, signing service `sts`): `AssumeRole` of the roles added with
 * {@link LocalSts.addRole}, each allowed by its trust policy (evaluated with iam-simulate), and
 * `GetCallerIdentity`. Issued credentials are `ASIA<account><code>` keys the gateway maps to the role's account,
 * and CloudTrail records their calls as sessions of the role. A role that does not exist is refused like one
 * whose trust policy does not allow the caller (AccessDenied, as AWS does).
 */
export class LocalSts extends EventEmitter {
  /** Every AssumeRole call, oldest first. */
  readonly calls: AssumeRoleRecord[] = [];
  readonly #roles = new Map<string, unknown>();
  readonly #organizations = new Map<string, string>();

  /** Creates (or replaces) the role `roleName` in `account` with its trust policy document. */
  addRole(account: string, roleName: string, trustPolicy: unknown): void {
    this.#roles.set(`${account}/${roleName}`, trustPolicy);
  }

  /** Deletes a role (e.g. a member whose stack instance is gone). */
  removeRole(account: string, roleName: string): void {
    this.#roles.delete(`${account}/${roleName}`);
  }

  /** Puts accounts in an organization (their principals carry `aws:PrincipalOrgID`). */
  addToOrganization(organizationId: string, accounts: readonly string[]): void {
    for (const account of accounts) this.#organizations.set(account, organizationId);
  }

  /** The `sts` Query service for the gateway. */
  readonly service: LocalService = async (req: LocalRequest): Promise<LocalResponse> => {
    const parameters = (isRecord(req.json) ? req.json : {}) as Record<string, string | undefined>;
    const caller = userIdentityFor(req.account, req.accessKeyId, new Date(), req.region);
    switch (req.operation) {
      case 'GetCallerIdentity':
        return xml(
          `<GetCallerIdentityResponse xmlns="${STS_NAMESPACE}"><GetCallerIdentityResult>` +
            `<Arn>${xmlEscape(caller.arn)}</Arn><UserId>${xmlEscape(caller.principalId)}</UserId>` +
            `<Account>${caller.accountId}</Account></GetCallerIdentityResult>` +
            `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`
        );
      case 'AssumeRole':
        return this.#assumeRole(req, parameters, caller.arn);
      default:
        return stsError('InvalidAction', `Could not find operation ${req.operation} for version 2011-06-15`);
    }
  };

  async #assumeRole(
    req: LocalRequest,
    parameters: Record<string, string | undefined>,
    callerArn: string
  ): Promise<LocalResponse> {
    const roleArn = parameters.RoleArn ?? '';
    const sessionName = parameters.RoleSessionName ?? '';
    const durationSeconds = Number(parameters.DurationSeconds ?? 3600);
    const role = ROLE_ARN.exec(roleArn);
    if (role === null) return stsError('ValidationError', `${roleArn} is invalid`);
    if (!SESSION_NAME.test(sessionName)) {
      return stsError(
        'ValidationError',
        `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`
      );
    }
    if (!Number.isInteger(durationSeconds) || durationSeconds < 900 || durationSeconds > 3600) {
      return stsError(
        'ValidationError',
        `The requested DurationSeconds exceeds the MaxSessionDuration set for this role or is below 900.`
      );
    }
    const [, partition = 'aws', account = '', roleName = ''] = role;
    const trustPolicy = this.#roles.get(`${account}/${roleName}`);
    const organizationId = this.#organizations.get(req.account);
    const allowed =
      trustPolicy !== undefined &&
      (await trustAllows(trustPolicy, roleArn, {
        arn: callerArn,
        account: req.account,
        ...(organizationId !== undefined && { organizationId }),
      }));
    const token = req.headers['x-amz-security-token'];
    const record: AssumeRoleRecord = {
      at: Date.now(),
      callerArn,
      callerAccessKeyId: req.accessKeyId,
      callerSessionToken: typeof token === 'string' ? token : '',
      roleArn,
      account,
      sessionName,
      allowed,
    };
    this.calls.push(record);
    this.emit('assumeRole', record);
    if (!allowed) {
      return stsError(
        'AccessDenied',
        `User: ${callerArn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
        403
      );
    }
    const session = issueRoleSession(account, roleName, sessionName, durationSeconds);
    const roleId = `AROA${account}ROLE`;
    return xml(
      `<AssumeRoleResponse xmlns="${STS_NAMESPACE}"><AssumeRoleResult>` +
        `<AssumedRoleUser><AssumedRoleId>${roleId}:${sessionName}</AssumedRoleId>` +
        `<Arn>arn:${partition}:sts::${account}:assumed-role/${roleName}/${sessionName}</Arn></AssumedRoleUser>` +
        `<Credentials><AccessKeyId>${session.accessKeyId}</AccessKeyId>` +
        `<SecretAccessKey>${xmlEscape(session.secretAccessKey)}</SecretAccessKey>` +
        `<SessionToken>${xmlEscape(session.sessionToken)}</SessionToken>` +
        `<Expiration>${isoSeconds(session.expiration)}</Expiration></Credentials>` +
        `</AssumeRoleResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata>` +
        `</AssumeRoleResponse>`
    );
  }
}
