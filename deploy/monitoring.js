// DashboardBody of deploy/monitoring.yml, built here (a loop over compliance, outcomes and reasons) and given to Fn::Sub:
// ${Name} placeholders are CloudFormation's. Names: src/metrics/metricNames.ts (test/integration/infrastructure/
// monitoring.test.ts checks every metric below exists in what the code emits).
const { maxExposureSeconds } = require('./deployment');

const NAMESPACE = 'KinesisAutoEncrypt';
const SERVICE = ['service', 'kinesis-auto-encrypt'];
const OUTCOMES = ['Encrypted', 'AlreadyCompliant', 'Exempt', 'NonCompliant', 'Skipped', 'Failed', 'Rejected'];
const COMPLIANCE = ['Compliant', 'NonCompliant', 'Exempt', 'NotChecked'];
const FAILURE_REASONS = [
  'KeyBudgetReserved',
  'Flapping',
  'InvalidKeyTag',
  'KeyNotUsable',
  'KeyPolicyDenies',
  'KeyUnusableError',
  'AccessDeniedError',
  'AccountUnreachableError',
  'RequestRejectedError',
  'LimitExceededError',
  'StreamNotFoundError',
  'ConfirmationTimedOut',
  'EncryptionMismatch',
  'ProbeNotEncrypted',
  'KinesisCallFailed',
  'Other',
];

const own = (name, extra = {}) => [NAMESPACE, name, ...SERVICE, extra];
const widget = (title, x, y, properties, width = 12, height = 6) => ({
  type: 'metric',
  x,
  y,
  width,
  height,
  properties: { title, region: '${AWS::Region}', view: 'timeSeries', period: 300, ...properties },
});

/** The dashboard as JSON text with Fn::Sub placeholders. */
const dashboardBody = async (context) => {
  const exposureBound = await maxExposureSeconds(context);
  const ruleName = await context.resolveVariable('self:custom.createStreamRuleName');
  const widgets = [
    // The headline: how the streams stood when each trigger ended, whatever was done to them.
    widget('Compliance at completion (streams per 5 min)', 0, 0, {
      stat: 'Sum',
      stacked: true,
      metrics: COMPLIANCE.map((compliance) => [NAMESPACE, 'Compliance', ...SERVICE, 'compliance', compliance]),
    }),
    widget('Outcomes (count per 5 min)', 12, 0, {
      stat: 'Sum',
      stacked: true,
      metrics: OUTCOMES.map((outcome) => own(outcome)),
    }),
    widget('Time to encrypted (ms)', 0, 6, {
      metrics: [own('TimeToEncrypted', { stat: 'p50' }), own('TimeToEncrypted', { stat: 'p95' })],
    }),
    widget('Exposure (s): unencrypted writes accepted, and streams left unencrypted', 12, 6, {
      metrics: [
        own('ExposureSeconds', { stat: 'Maximum' }),
        own('ExposureSeconds', { stat: 'p95' }),
        own('LeftUnencrypted', { stat: 'Sum', yAxis: 'right' }),
      ],
      annotations: { horizontal: [{ label: 'maxExposureMinutes', value: exposureBound }] },
    }),
    widget('Failures by reason', 0, 12, {
      stat: 'Sum',
      stacked: true,
      metrics: FAILURE_REASONS.map((reason) => [NAMESPACE, 'Failed', ...SERVICE, 'reason', reason]),
    }),
    widget('Failure and dead-letter queues (messages, oldest age s)', 12, 12, {
      stat: 'Maximum',
      metrics: [
        ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', '${FailureQueue.QueueName}'],
        ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', '${CreateStreamRuleDeadLetterQueue.QueueName}'],
        ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', '${UndeliveredQueue.QueueName}'],
        ['AWS/SQS', 'ApproximateAgeOfOldestMessage', 'QueueName', '${FailureQueue.QueueName}', { yAxis: 'right' }],
      ],
    }),
    widget('Sweep results (per run)', 0, 18, {
      stat: 'Maximum',
      period: 3600,
      metrics: [own('StreamsChecked'), own('NonCompliantFound', { yAxis: 'right' })],
    }),
    widget('Throttles and drift', 12, 18, {
      stat: 'Sum',
      metrics: [
        ['AWS/Lambda', 'Throttles', 'FunctionName', '${EncryptStreamLambdaFunction}'],
        ['AWS/Lambda', 'Throttles', 'FunctionName', '${RecordMetricsLambdaFunction}'],
        ['AWS/States', 'ExecutionThrottled', 'StateMachineArn', '${ConfirmEncryptionStateMachine}'],
        ['AWS/Events', 'ThrottledRules', 'RuleName', ruleName],
        [NAMESPACE, 'Failed', ...SERVICE, 'reason', 'LimitExceededError'],
        own('DriftRepaired', { yAxis: 'right' }),
        own('KeyBudgetLow', { yAxis: 'right' }),
        own('Flapping', { yAxis: 'right' }),
      ],
    }),
    widget('Functions and executions', 0, 24, {
      stat: 'Sum',
      metrics: [
        ['AWS/Lambda', 'Errors', 'FunctionName', '${EncryptStreamLambdaFunction}'],
        ['AWS/Lambda', 'Errors', 'FunctionName', '${RecordMetricsLambdaFunction}'],
        ['AWS/States', 'ExecutionsFailed', 'StateMachineArn', '${ConfirmEncryptionStateMachine}'],
        ['AWS/States', 'ExecutionsTimedOut', 'StateMachineArn', '${ConfirmEncryptionStateMachine}'],
        [NAMESPACE, 'ColdStart', ...SERVICE, 'function_name', '${EncryptStreamLambdaFunction}', { yAxis: 'right' }],
      ],
    }),
  ];
  return JSON.stringify({ widgets });
};

module.exports = { dashboardBody };
