import type { Server } from 'node:http';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { freePort, LOCAL_HOST } from './freePort';
import type { LocalService } from './gateway';
import { createProxyService } from './httpProxy';

/** Gateway prefix of the DynamoDB JSON protocol. */
export const DYNAMODB_TARGET_PREFIX = 'DynamoDB_20120810';

/** Options of {@link startDynaliteLocal}; table status durations default to 0 ms. */
export interface DynaliteLocalOptions {
  port?: number;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}

/** A running in-process dynalite server. */
export interface DynaliteLocal {
  /** e.g. `http://127.0.0.1:45679`. */
  endpoint: string;
  port: number;
  /** Raw proxy to dynalite; register on the gateway under {@link DYNAMODB_TARGET_PREFIX}. */
  service: LocalService;
  stop(): Promise<void>;
}

type DynaliteFactory = (options: Record<string, unknown>) => Server;

/**
 * Starts dynalite (in memory, in this process) on a free port. It has no UpdateTimeToLive:
 * create tables without TTL.
 */
export const startDynaliteLocal = async (options: DynaliteLocalOptions = {}): Promise<DynaliteLocal> => {
  const dynalite = require('dynalite') as DynaliteFactory;
  const server = dynalite({
    createTableMs: options.createTableMs ?? 0,
    deleteTableMs: options.deleteTableMs ?? 0,
    updateTableMs: options.updateTableMs ?? 0,
  });
  const port = options.port ?? (await freePort());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOCAL_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const endpoint = `http://${LOCAL_HOST}:${port}`;
  const proxy = createProxyService(endpoint, 'DynamoDB');
  let stopped = false;
  return {
    endpoint,
    port,
    service: proxy.service,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      proxy.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
};

/**
 * Creates the Powertools idempotency table (partition key `id` S, PAY_PER_REQUEST) unless it
 * exists, and waits until it is ACTIVE. `endpoint` is the gateway or dynalite URL.
 */
export const createIdempotencyTable = async (endpoint: string, tableName: string): Promise<void> => {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: '000000000000', secretAccessKey: 'local' },
  });
  try {
    try {
      await client.send(
        new CreateTableCommand({
          TableName: tableName,
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        })
      );
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    for (let attempt = 0; attempt < 100; attempt++) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      if (Table?.TableStatus === 'ACTIVE') return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`Table ${tableName} did not become ACTIVE`);
  } finally {
    client.destroy();
  }
};
