/**
 * us-east-1 public list prices assumed on {@link PRICES_AS_OF}. List prices change: re-check them
 * on the AWS pricing pages before quoting these numbers. Free tiers are ignored.
 */
export const PRICES_AS_OF = '2026-11-25';

/** USD list prices (us-east-1), per unit named in each key. */
export const PRICES = {
  /** Lambda arm64 duration, per GB-second (first 7.5 billion GB-s/month tier). */
  lambdaArmGbSecond: 0.0000133334,
  /** Lambda requests, per request ($0.20 per 1M). */
  lambdaRequest: 0.2 / 1_000_000,
  /** Step Functions Standard, per state transition ($0.025 per 1,000). */
  sfnStandardTransition: 0.025 / 1_000,
  /** Step Functions Express, per request ($1.00 per 1M). */
  sfnExpressRequest: 1 / 1_000_000,
  /** Step Functions Express duration, per GB-second (first 1,000 GB-hours/month). */
  sfnExpressGbSecond: 0.00001667,
  /** DynamoDB on-demand, per write request unit ($0.625 per 1M since Nov 2024). */
  dynamoWriteUnit: 0.625 / 1_000_000,
  /** DynamoDB on-demand, per read request unit ($0.125 per 1M since Nov 2024). */
  dynamoReadUnit: 0.125 / 1_000_000,
  /** EventBridge custom events via PutEvents, per 64 KB event ($1.00 per 1M); AWS service events are free. */
  eventBridgeCustomEvent: 1 / 1_000_000,
  /** KMS API requests, per request ($0.03 per 10,000); DescribeKey is one. */
  kmsRequest: 0.03 / 10_000,
  /** CloudWatch Logs ingestion (standard class), per GB. */
  logsIngestionGb: 0.5,
} as const;

/** Lambda memory from serverless.yml (`provider.memorySize`). */
export const LAMBDA_MEMORY_MB = 256;
/** Express billing: memory in 64 MB chunks; this workflow's payload is far below one chunk. */
const EXPRESS_MEMORY_MB = 64;
/** Express bills duration in 100 ms increments. */
const EXPRESS_DURATION_STEP_MS = 100;

/** Measured usage per stream (averages over a run). */
export interface UsagePerStream {
  lambdaRequests: number;
  /** Billed Lambda duration (ms, rounded up per invocation), incl. INIT when cold starts are billed. */
  lambdaBilledMs: number;
  sfnTransitions: number;
  sfnExecutions: number;
  /** Mean execution duration, ms (Express is billed on this). */
  sfnExecutionMs: number;
  dynamoWrites: number;
  dynamoReads: number;
  customEvents: number;
  kmsRequests: number;
  logBytes: number;
}

/** Cost lines in USD per stream. */
export interface CostBreakdown {
  lambdaDuration: number;
  lambdaRequests: number;
  stepFunctions: number;
  dynamoDb: number;
  eventBridge: number;
  kms: number;
  logs: number;
  total: number;
}

/** Cost per stream with a Standard or an Express confirmation workflow. */
export const costPerStream = (usage: UsagePerStream, workflow: 'standard' | 'express'): CostBreakdown => {
  const lambdaDuration = (usage.lambdaBilledMs / 1000) * (LAMBDA_MEMORY_MB / 1024) * PRICES.lambdaArmGbSecond;
  const lambdaRequests = usage.lambdaRequests * PRICES.lambdaRequest;
  const expressMs = Math.ceil(usage.sfnExecutionMs / EXPRESS_DURATION_STEP_MS) * EXPRESS_DURATION_STEP_MS;
  const stepFunctions =
    workflow === 'standard'
      ? usage.sfnTransitions * PRICES.sfnStandardTransition
      : usage.sfnExecutions *
        (PRICES.sfnExpressRequest + (expressMs / 1000) * (EXPRESS_MEMORY_MB / 1024) * PRICES.sfnExpressGbSecond);
  const dynamoDb = usage.dynamoWrites * PRICES.dynamoWriteUnit + usage.dynamoReads * PRICES.dynamoReadUnit;
  const eventBridge = usage.customEvents * PRICES.eventBridgeCustomEvent;
  const kms = usage.kmsRequests * PRICES.kmsRequest;
  const logs = (usage.logBytes / 1024 ** 3) * PRICES.logsIngestionGb;
  const total = lambdaDuration + lambdaRequests + stepFunctions + dynamoDb + eventBridge + kms + logs;
  return { lambdaDuration, lambdaRequests, stepFunctions, dynamoDb, eventBridge, kms, logs, total };
};
