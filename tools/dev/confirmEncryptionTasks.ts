import type { PutEventsCommandInput, PutEventsCommandOutput } from '@aws-sdk/client-eventbridge';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { AddTagsToStreamCommandInput, DescribeStreamSummaryCommandInput } from '@aws-sdk/client-kinesis';
import {
  AddTagsToStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  PutRecordCommand,
} from '@aws-sdk/client-kinesis';
import {
  type JsonValue,
  LocalStepFunctions,
  statesError,
  type TaskCredentials,
  type TaskHandler,
  TaskRoleSessions,
  toStatesError,
} from '@kinesis-auto-encrypt/local-cloud';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { isRecord } from '../../src/domain/isRecord';
import { sessionAccessKeyId } from './localRoles';
import { CONFIRM_ENCRYPTION_ASL_PATH, CONFIRM_ENCRYPTION_ORG_ASL_PATH, LOCAL_SUBSTITUTIONS } from './stateMachines';

/** A completion the KeepUndelivered state kept (the state machine's undelivered queue, in memory). */
export interface UndeliveredCompletion {
  executionArn: string;
  queueUrl: string;
  body: JsonValue;
}

/** SDK output as a Task result: JSON only, no `$metadata`. */
const taskResult = (output: object): JsonValue => {
  const { $metadata: _metadata, ...rest } = output as Record<string, unknown>;
  return JSON.parse(JSON.stringify(rest)) as JsonValue;
};

/** Region of a stream ARN (`arn:aws:kinesis:REGION:ACCOUNT:stream/NAME`), else undefined. */
const regionOfStreamArn = (input: JsonValue): string | undefined => {
  const arn = isRecord(input) ? input.StreamARN : undefined;
  return typeof arn === 'string' ? arn.split(':')[3] || undefined : undefined;
};

/** HTTP/1.1: the default HTTP/2 handler of the Kinesis client is flaky against local ports. */
const kinesisClient = (
  endpoint: string,
  region: string,
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider
): KinesisClient =>
  new KinesisClient({ endpoint, region, credentials, maxAttempts: 1, requestHandler: new NodeHttpHandler() });

/**
 * The Task states of confirm-encryption, served by the real SDK commands on the local gateway with
 * the execution's account and region (one client per account and region). A Kinesis task with
 * `Credentials` calls with a session of that role (assumed by the state machine's role) in the stream's
 * region. KeepUndelivered hands its message to `onUndelivered` instead of a queue.
 */
export class ConfirmEncryptionTasks {
  readonly #endpoint: string;
  readonly #onUndelivered: (kept: UndeliveredCompletion) => void;
  readonly #kinesis = new Map<string, KinesisClient>();
  readonly #events = new Map<string, EventBridgeClient>();
  readonly #roles: TaskRoleSessions;

  constructor(endpoint: string, onUndelivered: (kept: UndeliveredCompletion) => void) {
    this.#endpoint = endpoint;
    this.#onUndelivered = onUndelivered;
    this.#roles = new TaskRoleSessions(
      endpoint,
      (account) => sessionAccessKeyId(account, 'stateMachine'),
      'states-confirm-encryption'
    );
  }

  /** Closes the SDK clients. */
  destroy(): void {
    for (const client of [...this.#kinesis.values(), ...this.#events.values()]) client.destroy();
    this.#kinesis.clear();
    this.#events.clear();
    this.#roles.destroy();
  }

  /** Assumes a Task's `Credentials` role first: a refusal fails the task (`States.TaskFailed`), not the call. */
  async #assumed(account: string, region: string, credentials?: TaskCredentials): Promise<void> {
    if (credentials !== undefined) await this.#roles.credentials(credentials.roleArn, account, region);
  }

  /** Kinesis client of the execution's own role, or of the Task's `Credentials` role in the stream's region. */
  #kinesisFor(account: string, region: string, input: JsonValue, credentials?: TaskCredentials): KinesisClient {
    const callRegion = credentials === undefined ? region : (regionOfStreamArn(input) ?? region);
    const key = credentials === undefined ? `${account}/${region}` : `${account}/${credentials.roleArn}/${callRegion}`;
    let client = this.#kinesis.get(key);
    if (client === undefined) {
      client = kinesisClient(
        this.#endpoint,
        callRegion,
        credentials === undefined
          ? { accessKeyId: sessionAccessKeyId(account, 'stateMachine'), secretAccessKey: 'local' }
          : () => this.#roles.credentials(credentials.roleArn, account, region)
      );
      this.#kinesis.set(key, client);
    }
    return client;
  }

  /** Handlers of the Task states for one execution, keyed by state name. */
  handlers(account: string, region: string, executionArn: string): Record<string, TaskHandler> {
    const key = `${account}/${region}`;
    // A session of the state machine's role.
    const credentials = { accessKeyId: sessionAccessKeyId(account, 'stateMachine'), secretAccessKey: 'local' };
    const endpoint = this.#endpoint;
    let events = this.#events.get(key);
    if (events === undefined) {
      events = new EventBridgeClient({ endpoint, region, credentials, maxAttempts: 1 });
      this.#events.set(key, events);
    }
    const eventsClient = events;
    return {
      DescribeStream: async (input, taskCredentials) => {
        await this.#assumed(account, region, taskCredentials);
        try {
          const client = this.#kinesisFor(account, region, input, taskCredentials);
          const output = await client.send(
            new DescribeStreamSummaryCommand(input as unknown as DescribeStreamSummaryCommandInput)
          );
          return taskResult(output);
        } catch (error) {
          throw toStatesError('Kinesis', error);
        }
      },
      ProbeRecord: async (input, taskCredentials) => {
        // SDK integrations take blobs as base64 text.
        const { StreamARN, PartitionKey, Data } = (isRecord(input) ? input : {}) as Record<string, string>;
        await this.#assumed(account, region, taskCredentials);
        try {
          const client = this.#kinesisFor(account, region, input, taskCredentials);
          const output = await client.send(
            new PutRecordCommand({ StreamARN, PartitionKey, Data: Buffer.from(String(Data), 'base64') })
          );
          return taskResult(output);
        } catch (error) {
          throw toStatesError('Kinesis', error);
        }
      },
      // Write guard: aws-sdk:kinesis:addTagsToStream, the tag kinesis-auto-encrypt:encrypted = the key ARN.
      TagGuard: async (input, taskCredentials) => {
        await this.#assumed(account, region, taskCredentials);
        try {
          const client = this.#kinesisFor(account, region, input, taskCredentials);
          const output = await client.send(new AddTagsToStreamCommand(input as unknown as AddTagsToStreamCommandInput));
          return taskResult(output);
        } catch (error) {
          throw toStatesError('Kinesis', error);
        }
      },
      PublishCompletion: async (input) => {
        // Optimised integration: a JSON object Detail is serialised; failed entries fail the task.
        const entries = isRecord(input) && Array.isArray(input.Entries) ? input.Entries : [];
        const Entries = entries.map((entry) =>
          isRecord(entry) && typeof entry.Detail !== 'string'
            ? { ...entry, Detail: JSON.stringify(entry.Detail) }
            : entry
        ) as PutEventsCommandInput['Entries'];
        let output: PutEventsCommandOutput;
        try {
          output = await eventsClient.send(new PutEventsCommand({ Entries }));
        } catch (error) {
          throw toStatesError('EventBridge', error);
        }
        if ((output.FailedEntryCount ?? 0) > 0) {
          throw statesError('EventBridge.FailedEntry', JSON.stringify(output.Entries));
        }
        return taskResult(output);
      },
      KeepUndelivered: (input) => {
        // sqs:sendMessage optimised integration: a JSON MessageBody is sent as its text.
        const { QueueUrl, MessageBody } = (isRecord(input) ? input : {}) as {
          QueueUrl?: string;
          MessageBody?: JsonValue;
        };
        const kept: UndeliveredCompletion = { executionArn, queueUrl: String(QueueUrl), body: MessageBody ?? null };
        this.#onUndelivered(kept);
        return { MessageId: crypto.randomUUID() };
      },
    };
  }
}

/** Options of {@link confirmEncryptionStepFunctions}. */
export interface ConfirmEncryptionStepFunctionsOptions {
  /** Gateway URL the Task states call (Kinesis, EventBridge, STS). */
  endpoint: string;
  /** The organisation definition (Kinesis tasks with `Credentials`) instead of the account one. */
  org?: boolean;
  waitTimeOverrides?: Record<string, number>;
  retryIntervalOverrides?: Record<string, number | number[]>;
}

/** The local confirm-encryption state machine and what its KeepUndelivered state kept, oldest first. */
export interface ConfirmEncryptionStepFunctions {
  stepFunctions: LocalStepFunctions;
  undelivered: UndeliveredCompletion[];
}

/**
 * The confirm-encryption state machine on the local Step Functions, in every account and region: the real ASL,
 * its Task states served by {@link ConfirmEncryptionTasks}, its placeholders filled as serverless.yml does.
 */
export const confirmEncryptionStepFunctions = (
  options: ConfirmEncryptionStepFunctionsOptions
): ConfirmEncryptionStepFunctions => {
  const undelivered: UndeliveredCompletion[] = [];
  const tasks = new ConfirmEncryptionTasks(options.endpoint, (kept) => undelivered.push(kept));
  const stepFunctions = new LocalStepFunctions({
    definitionPath: options.org === true ? CONFIRM_ENCRYPTION_ORG_ASL_PATH : CONFIRM_ENCRYPTION_ASL_PATH,
    stateMachineName: 'confirm-encryption',
    substitutions: LOCAL_SUBSTITUTIONS,
    taskHandlers: (account, region, executionArn) => tasks.handlers(account, region, executionArn),
    onStop: () => tasks.destroy(),
    ...(options.waitTimeOverrides !== undefined && { waitTimeOverrides: options.waitTimeOverrides }),
    ...(options.retryIntervalOverrides !== undefined && { retryIntervalOverrides: options.retryIntervalOverrides }),
  });
  return { stepFunctions, undelivered };
};
