import type { Compliance } from './compliance';
import type { Mode } from './streamPolicy';
import type { Trigger } from './streamRequest';
import type { WriteGuard } from './writeGuard';

/**
 * What the Lambda hands to the confirm-encryption state machine after StartStreamEncryption. The execution
 * input (`statemachines/confirm-encryption.asl.json`) is these fields plus the required `completion`: the
 * verdict-free completion detail, which the adapter (`src/aws/sfnConfirmationPort.ts`) adds.
 */
export interface ConfirmationInput {
  eventId: string;
  streamArn: string;
  streamName: string;
  account: string;
  region: string;
  /** KeyId exactly as passed to StartStreamEncryption; compared with the stream's KeyId. */
  keyId: string;
  /** EventBridge bus that receives the completion event. */
  eventBusName: string;
  /** CloudTrail eventTime of CreateStream (ISO-8601). */
  streamCreatedAt: string;
  /** When StartStreamEncryption was accepted (ISO-8601). */
  appliedAt: string;
  /** appliedAt − streamCreatedAt in ms (integer, ≥ 0). */
  applyLatencyMs: number;
  /** Opt-in: after confirmation write one probe record whose PutRecord response must show EncryptionType KMS. */
  probe: boolean;
  /**
   * Bound of the confirmation for this stream (60–3600 s); when absent the state machine uses the stage
   * parameter `confirmTimeoutSeconds` (default 1200).
   */
  confirmTimeoutSeconds?: number;
  /** What made the pipeline look, and who (drift and tag triggers). */
  trigger: Trigger;
  actor?: string;
  /** Which rules decided. */
  policy: { mode: Mode; keySource: 'default' | 'tag' };
  /**
   * The compliance of the stream should the state machine find it on another KMS key than {@link keyId} (its owner
   * applied one after ours): Compliant when the policy accepts other keys, else NonCompliant.
   */
  otherKeyCompliance: Extract<Compliance, 'Compliant' | 'NonCompliant'>;
  /**
   * Write guard on (`prepare` or `enforce`; absent = `off`): once confirmed, settled and probed, the state machine
   * tags the stream `kinesis-auto-encrypt:encrypted` = {@link keyArn}.
   */
  writeGuard?: Exclude<WriteGuard, 'off'>;
  /** The applied key's ARN (the key pre-flight's DescribeKey), the guard tag's value; with `writeGuard` only. */
  keyArn?: string;
  /**
   * Organisation deployments only: the role the state machine's Kinesis tasks assume (`Credentials`), the member
   * role of the stream's account, or the hub's own stream role for a hub-account stream. Set by the adapter.
   */
  roleArn?: string;
}
