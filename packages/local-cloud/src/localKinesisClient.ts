import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** Kinesis client of an account and region on the local cloud (HTTP/1.1). */
export const localKinesisClient = (endpoint: string, account: string, region: string): KinesisClient =>
  new KinesisClient({
    endpoint,
    region,
    credentials: { accessKeyId: account, secretAccessKey: 'local' },
    requestHandler: new NodeHttpHandler(),
    // Like a careful operator's client: ride out throttling and the 5-CREATING-per-account limit.
    maxAttempts: 8,
  });

/** One {@link localKinesisClient} per account and region, created on first use; `destroy` closes them all. */
export const localKinesisClients = (endpoint: string) => {
  const clients = new Map<string, KinesisClient>();
  return {
    client: (account: string, region: string): KinesisClient => {
      const key = `${account}/${region}`;
      let client = clients.get(key);
      if (client === undefined) {
        client = localKinesisClient(endpoint, account, region);
        clients.set(key, client);
      }
      return client;
    },
    destroy: (): void => {
      for (const client of clients.values()) client.destroy();
    },
  };
};
