import type { LocalKms } from '@kinesis-auto-encrypt/local-cloud';

/** Accounts of `npm start`. */
export const DEFAULT_ACCOUNTS = ['111111111111', '222222222222', '333333333333'] as const;
/** Alias of the organisation's default key in every local account. */
export const DEFAULT_KEY_ALIAS = 'alias/kinesis-auto-encrypt';
/** Alias of a team's own customer key in every local account (streams using it are Skipped). */
export const TEAM_KEY_ALIAS = 'alias/team-analytics';

/** Keys configured in one account and region. */
export interface AccountKeys {
  account: string;
  region: string;
  defaultKeyId: string;
  teamKeyId: string;
}

/** Accounts/regions of the local cloud, each given a default and a team key in the local KMS on first use. */
export class LocalAccounts {
  /** Every account/region added so far. */
  readonly list: AccountKeys[] = [];
  readonly #kms: LocalKms;

  constructor(kms: LocalKms) {
    this.#kms = kms;
  }

  /** Adds an account/region with a default and a team key (idempotent). */
  add(account: string, region: string): AccountKeys {
    const known = this.list.find((keys) => keys.account === account && keys.region === region);
    if (known !== undefined) return known;
    const defaultKeyId = this.#kms.addKey({
      account,
      region,
      aliases: [DEFAULT_KEY_ALIAS],
      description: 'Organisation default key for Kinesis streams',
    });
    const teamKeyId = this.#kms.addKey({ account, region, aliases: [TEAM_KEY_ALIAS], description: "A team's own key" });
    const keys: AccountKeys = { account, region, defaultKeyId, teamKeyId };
    this.list.push(keys);
    return keys;
  }
}
