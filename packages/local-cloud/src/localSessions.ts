import { randomBytes } from 'node:crypto';

/**
 * Role sessions the local STS issued (AssumeRole): their access key ids are `ASIA<account><code>` like the
 * service roles' sessions (see localIdentities.ts), the code `R` plus three letters, unique in this process.
 */
export interface RoleSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Account of the role, where the session's calls are made. */
  account: string;
  roleName: string;
  sessionName: string;
  expiration: Date;
}

const sessions = new Map<string, RoleSession>();
let issued = 0;
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const CODES = LETTERS.length ** 3;

const codeOf = (index: number): string => {
  const n = index % CODES;
  const letter = (position: number): string =>
    LETTERS.charAt(Math.floor(n / LETTERS.length ** position) % LETTERS.length);
  return `R${letter(2)}${letter(1)}${letter(0)}`;
};

/** Issues the credentials of a new session of `roleName` in `account`, valid for `durationSeconds`. */
export const issueRoleSession = (
  account: string,
  roleName: string,
  sessionName: string,
  durationSeconds: number,
  now: Date = new Date()
): RoleSession => {
  const accessKeyId = `ASIA${account}${codeOf(issued++)}`;
  const session: RoleSession = {
    accessKeyId,
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: `local/${randomBytes(48).toString('base64')}`,
    account,
    roleName,
    sessionName,
    expiration: new Date(Math.floor(now.getTime() / 1000) * 1000 + durationSeconds * 1000),
  };
  sessions.set(accessKeyId, session);
  return session;
};

/** The session of an access key id issued by {@link issueRoleSession}, else undefined. */
export const roleSessionOf = (accessKeyId: string): RoleSession | undefined => sessions.get(accessKeyId);
