import type { Deployment } from '../domain/deployment';
import { ConfigurationError } from '../domain/errors';
import type { StreamPorts, StreamPortsProvider } from '../domain/ports';
import type { StreamRequest } from '../domain/streamRequest';
import type { AccountCredentials } from './accountCredentials';
import { translateAccountFailures } from './accountFailure';
import { type AccountClientOptions, type AccountClients, createAccountClients } from './clients';
import { type KeyCheckSettings, streamPortsFor } from './streamPortsFor';

/** What {@link AccountPortsProvider} builds ports from. */
export interface AccountPortsOptions {
  /** The function's own partition, account and region, whose ports are `homePorts`. */
  home: Deployment;
  homePorts: StreamPorts;
  keyChecks: KeyCheckSettings;
  /** Organisation: member-account credentials. Without them only the function's own account is reachable. */
  credentials?: AccountCredentials;
  /** Builds one account's clients (default {@link createAccountClients}). */
  clientsFor?: (options: AccountClientOptions) => AccountClients;
}

/**
 * Ports per (account, region), built once per execution environment: the function's own account and region
 * use `homePorts`; another region of its own account its own credentials; a member account its member role's
 * credentials ({@link AccountCredentials}). Calls in another account or region translate unrecognised
 * credentials into a permanent failure. The ledger, SSM and EventBridge stay in the hub: they are not here.
 */
export class AccountPortsProvider implements StreamPortsProvider {
  readonly #options: AccountPortsOptions;
  readonly #ports = new Map<string, StreamPorts>();
  /** The latest event per account: a new member session is named after it. */
  readonly #eventOf = new Map<string, string>();

  public constructor(options: AccountPortsOptions) {
    this.#options = options;
  }

  /** @throws {ConfigurationError} for another account when there are no member credentials (account deployment) */
  public portsFor(request: StreamRequest): StreamPorts {
    const { home } = this.#options;
    if (request.account === home.account && request.region === home.region) return this.#options.homePorts;
    this.#eventOf.set(request.account, request.eventId);
    const key = `${request.account}/${request.region}`;
    let ports = this.#ports.get(key);
    if (ports === undefined) {
      ports = this.#create({ partition: request.partition, account: request.account, region: request.region });
      this.#ports.set(key, ports);
    }
    return ports;
  }

  #create(where: Deployment): StreamPorts {
    const { home, credentials, clientsFor = createAccountClients } = this.#options;
    const own = where.account === home.account;
    if (!own && credentials === undefined) {
      throw new ConfigurationError(
        `Stream of account ${where.account}: this deployment acts only in its own account ${home.account}`
      );
    }
    const clients = clientsFor({
      region: where.region,
      ...(!own &&
        credentials !== undefined && {
          credentials: () => credentials.credentialsFor(where.account, this.#eventOf.get(where.account) ?? 'event'),
        }),
    });
    translateAccountFailures(clients.kinesis, where);
    translateAccountFailures(clients.kinesisApply, where);
    translateAccountFailures(clients.kms, where);
    return streamPortsFor(clients, where, this.#options.keyChecks);
  }
}
