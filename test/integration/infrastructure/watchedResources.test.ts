import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCloudFormationYaml } from '../../helpers/cloudFormationYaml';
import { cfnString, resolveConditions } from '../../helpers/leastPrivilege';
import { packageOrg } from '../../helpers/orgPackage';
import { type CloudFormationTemplate, packageTemplate } from '../../helpers/packageTemplate';

const REPO_ROOT = join(__dirname, '..', '..', '..');

type Properties = Record<string, unknown>;

/** `namespace|metric|dimension value` of every metric an alarm reads (MetricName, or each MetricStat). */
const alarmedMetrics = (template: CloudFormationTemplate): string[] =>
  Object.values(template.Resources)
    .filter(({ Type }) => Type === 'AWS::CloudWatch::Alarm')
    .flatMap(({ Properties: properties = {} }) => {
      const metrics =
        typeof properties.MetricName === 'string'
          ? [properties]
          : ((properties.Metrics ?? []) as { MetricStat?: { Metric: Properties } }[]).flatMap(({ MetricStat }) =>
              MetricStat === undefined ? [] : [MetricStat.Metric]
            );
      return metrics.flatMap((metric) =>
        ((metric.Dimensions ?? []) as { Value: unknown }[]).map(
          ({ Value }) => `${String(metric.Namespace)}|${String(metric.MetricName)}|${cfnString(Value)}`
        )
      );
    });

/**
 * Queues and state machines without their alarms: a queue needs one on its visible messages
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html),
 * a state machine on failed and on timed-out executions
 * (https://docs.aws.amazon.com/step-functions/latest/dg/procedure-cw-metrics.html).
 */
const unwatched = (template: CloudFormationTemplate): string[] => {
  const alarmed = new Set(alarmedMetrics(template));
  return Object.entries(template.Resources).flatMap(([id, { Type }]) => {
    const wanted =
      Type === 'AWS::SQS::Queue'
        ? [`AWS/SQS|ApproximateNumberOfMessagesVisible|\${${id}.QueueName}`]
        : Type === 'AWS::StepFunctions::StateMachine'
          ? [`AWS/States|ExecutionsFailed|\${${id}}`, `AWS/States|ExecutionsTimedOut|\${${id}}`]
          : [];
    return wanted.filter((key) => !alarmed.has(key)).map((key) => `${id}: ${key}`);
  });
};

const countOf = (template: CloudFormationTemplate, type: string) =>
  Object.values(template.Resources).filter(({ Type }) => Type === type).length;

const propertiesOf = (template: CloudFormationTemplate, id: string): Properties =>
  template.Resources[id]?.Properties ?? {};

describe('every queue and state machine is watched by an alarm', () => {
  const templates: Record<string, CloudFormationTemplate> = {};

  beforeAll(async () => {
    const [account, org] = await Promise.all([packageTemplate(), packageOrg()]);
    templates.account = account.template;
    templates['org (hub)'] = org.hub;
    templates['org (member, from the StackSet)'] = org.member;
    templates['member/member.yml'] = parseCloudFormationYaml(
      readFileSync(join(REPO_ROOT, 'member', 'member.yml'), 'utf8')
    );
  }, 600_000);

  it.each([
    ['account', 3, 2],
    ['org (hub)', 4, 2],
    ['org (member, from the StackSet)', 1, 0],
    ['member/member.yml', 1, 0],
  ])('%s: %d queues and %d state machines, each with its alarms', (name, queues, stateMachines) => {
    // Prepare
    const template = templates[name] as CloudFormationTemplate;

    // Act
    const missing = unwatched(template);

    // Assess
    expect(countOf(template, 'AWS::SQS::Queue')).toBeGreaterThanOrEqual(queues);
    expect(countOf(template, 'AWS::StepFunctions::StateMachine')).toBe(stateMachines);
    expect(missing).toEqual([]);
  });

  it.each([
    ['org (hub)', 'HubTriggerRuleDeadLetterAlarm', 'HubTriggerRuleDeadLetterQueue'],
    ['org (hub)', 'SweepExecutionsFailedAlarm', 'SweepStateMachine'],
    ['account', 'SweepExecutionsFailedAlarm', 'SweepStateMachine'],
    ['member/member.yml', 'ForwardDeadLetterAlarm', 'ForwardDeadLetterQueue'],
  ])('%s without %s: %s is reported unwatched', (name, alarm, watched) => {
    // Prepare
    const template = templates[name] as CloudFormationTemplate;
    const { [alarm]: removed, ...rest } = template.Resources;

    // Act
    const missing = unwatched({ ...template, Resources: rest });

    // Assess
    expect(removed?.Type).toBe('AWS::CloudWatch::Alarm');
    expect(missing.some((entry) => entry.startsWith(`${watched}:`))).toBe(true);
  });

  it.each(['account', 'org (hub)'])(
    '%s: alarms when no Sweep Completed is counted in a schedule period, missing data breaching',
    (name) => {
      // Prepare: recordMetrics writes StreamsChecked once per Sweep Completed; missing data "breaching" counts an
      // empty period as breaching (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-missing-data).
      const template = resolveConditions(templates[name] as CloudFormationTemplate);

      // Act
      const alarm = propertiesOf(template, 'SweepMissingAlarm');

      // Assess: the default schedule is rate(1 day).
      expect(propertiesOf(template, 'SweepSchedule').ScheduleExpression).toBe('rate(1 day)');
      expect(alarm).toMatchObject({
        Namespace: 'KinesisAutoEncrypt',
        MetricName: 'StreamsChecked',
        Statistic: 'SampleCount',
        Period: 86400,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'breaching',
        AlarmActions: [{ Ref: 'AlarmTopic' }],
      });
    }
  );

  it("brings a member's alarm to the hub's alarm topic: member rule → hub bus → hub rule → topic", () => {
    // Prepare
    const member = templates['org (member, from the StackSet)'] as CloudFormationTemplate;
    const hub = resolveConditions(templates['org (hub)'] as CloudFormationTemplate);
    const stackSetName = String(propertiesOf(hub, 'MemberStackSet').StackSetName);

    // Act
    const forward = propertiesOf(member, 'AlarmStatesToHub');
    const memberAlarm = propertiesOf(member, 'ForwardDeadLetterAlarm');
    const toTopic = propertiesOf(hub, 'MemberAlarmsToTopic');
    const topicStatements = (propertiesOf(hub, 'AlarmTopicPolicy').PolicyDocument as { Statement: Properties[] })
      .Statement;
    const keyStatements = (propertiesOf(hub, 'AlarmTopicKey').KeyPolicy as { Statement: Properties[] }).Statement;
    const prefix = (
      (toTopic.EventPattern as { detail: { alarmName: { prefix: string }[] } }).detail.alarmName[0] as {
        prefix: string;
      }
    ).prefix;

    // Assess: an alarm state change is an event "CloudWatch Alarm State Change" whose resources name the alarm
    // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html); a bus of
    // another account is a target with a role (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html);
    // a stack instance of a StackSet is named StackSet-<StackSet name>-<id>
    // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-concepts.html).
    expect(forward.EventPattern).toEqual({
      source: ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      resources: [{ 'Fn::GetAtt': ['ForwardDeadLetterAlarm', 'Arn'] }],
    });
    expect(forward.Targets).toEqual([
      { Id: 'hub', Arn: { Ref: 'HubEventBusArn' }, RoleArn: { 'Fn::GetAtt': ['ForwardRole', 'Arn'] } },
    ]);
    expect(cfnString(memberAlarm.AlarmName)).toBe('${AWS::StackName}-forward-dead-letters');
    expect(`StackSet-${stackSetName}-`).toBe(prefix);
    expect(toTopic.EventBusName).toEqual({ Ref: 'HubEventBus' });
    expect(toTopic.Targets).toEqual([{ Id: 'alarmTopic', Arn: { Ref: 'AlarmTopic' } }]);
    expect(topicStatements).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sns:Publish',
        Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': ['MemberAlarmsToTopic', 'Arn'] } } },
      })
    );
    expect(keyStatements).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 'events.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      })
    );
  });

  it('gives the member forward rule a dead-letter queue only its rule may write to', () => {
    // Prepare: without one EventBridge drops an event after its retries, 24 h by default
    // (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-retry-policy.html).
    const member = templates['member/member.yml'] as CloudFormationTemplate;

    // Act
    const [target] = propertiesOf(member, 'ForwardTriggers').Targets as Properties[];
    const policy = propertiesOf(member, 'ForwardDeadLetterQueuePolicy');

    // Assess
    expect(target?.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': ['ForwardDeadLetterQueue', 'Arn'] } });
    expect(policy.PolicyDocument).toMatchObject({
      Statement: [
        {
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': ['ForwardTriggers', 'Arn'] } } },
        },
      ],
    });
  });
});
