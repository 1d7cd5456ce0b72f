import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ReportFile } from '../report/reportFiles';
import type { SweepState } from '../sweep/sweepState';
import { serviceFailure } from './serviceFailure';

/**
 * The sweep bucket: a sweep's state between its steps (`sweeps/<sweepId>/state.json`) and its report
 * (`reports/<sweepId>/report.json|csv|html`, the CLI's three files, rendered by the caller). Objects are encrypted by the bucket's
 * default encryption (SSE-KMS); the bucket's lifecycle rule expires them.
 */
export class S3SweepStore {
  readonly #client: S3Client;
  readonly #bucket: string;

  public constructor(client: S3Client, bucket: string) {
    this.#client = client;
    this.#bucket = bucket;
  }

  public get bucket(): string {
    return this.#bucket;
  }

  /** @throws {AutoEncryptError} translated (a missing state is an error: its step cannot run) */
  public async loadState(sweepId: string): Promise<SweepState> {
    const key = `sweeps/${sweepId}/state.json`;
    try {
      const output = await this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }));
      return JSON.parse((await output.Body?.transformToString('utf8')) ?? '') as SweepState;
    } catch (error) {
      throw serviceFailure(error, 's3:GetObject', `${this.#bucket}/${key}`);
    }
  }

  public async saveState(state: SweepState): Promise<void> {
    await this.#put(`sweeps/${state.sweepId}/state.json`, JSON.stringify(state), 'application/json');
  }

  /** Stores a sweep's rendered report files as given, under `reports/<sweepId>/`; returns their keys. */
  public async writeReport(sweepId: string, files: readonly ReportFile[]): Promise<string[]> {
    const keys: string[] = [];
    for (const { name, body, contentType } of files) {
      const key = `reports/${sweepId}/${name}`;
      await this.#put(key, body, contentType);
      keys.push(key);
    }
    return keys;
  }

  async #put(key: string, body: string, contentType: string): Promise<void> {
    try {
      await this.#client.send(
        new PutObjectCommand({ Bucket: this.#bucket, Key: key, Body: body, ContentType: contentType })
      );
    } catch (error) {
      throw serviceFailure(error, 's3:PutObject', `${this.#bucket}/${key}`);
    }
  }
}
