import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memberStack } from '../../../tools/dev';

// What one stack instance creates: resources whose Condition is false are not created
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/conditions-section-structure.html).
const TEMPLATE = `
Parameters:
  HubEventBusArn: { Type: String }
  HubFunctionRoleArn: { Type: String }
  RoleRegion: { Type: String }
  MemberRoleName: { Type: String, Default: kinesis-auto-encrypt-member }
Conditions:
  IsRoleRegion: !Equals [!Ref "AWS::Region", !Ref RoleRegion]
Resources:
  ForwardTriggers:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [aws.kinesis]
        detail:
          userIdentity:
            sessionContext:
              sessionIssuer:
                arn: [{ anything-but: { wildcard: !Sub "arn:\${AWS::Partition}:iam::*:role/\${MemberRoleName}" } }]
      Targets: [{ Id: hub, Arn: !Ref HubEventBusArn }]
  OtherRule:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: { source: [aws.s3] }
      Targets: [{ Id: x, Arn: !Ref HubEventBusArn }]
  ForwardOnCustomBus:
    Type: AWS::Events::Rule
    Properties:
      EventBusName: custom
      EventPattern: { source: [aws.kinesis] }
      Targets: [{ Id: hub, Arn: !Ref HubEventBusArn }]
  MemberRole:
    Type: AWS::IAM::Role
    Condition: IsRoleRegion
    Properties:
      RoleName: !Ref MemberRoleName
      AssumeRolePolicyDocument:
        Statement: [{ Effect: Allow, Principal: { AWS: [!Ref HubFunctionRoleArn] }, Action: sts:AssumeRole }]
`;

const HUB_BUS = 'arn:aws:events:us-east-1:111111111111:event-bus/kinesis-auto-encrypt-hub';
const PARAMETERS = {
  HubEventBusArn: HUB_BUS,
  HubFunctionRoleArn: 'arn:aws:iam::111111111111:role/hub-function',
  RoleRegion: 'us-east-1',
};

describe('memberStack', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'member-')), 'member.yml');
  writeFileSync(path, TEMPLATE);

  it.each([
    { region: 'us-east-1', role: true },
    { region: 'eu-west-1', role: false },
  ])(
    'reads the Forward* rules of the default bus and, in the role region only, the member role ($region)',
    ({ region, role }) => {
      // Act
      const stack = memberStack(PARAMETERS, '222222222222', region, path);

      // Assess
      expect(stack.forwardRules).toEqual([
        {
          logicalId: 'ForwardTriggers',
          targetArn: HUB_BUS,
          pattern: {
            source: ['aws.kinesis'],
            detail: {
              userIdentity: {
                sessionContext: {
                  sessionIssuer: {
                    arn: [{ 'anything-but': { wildcard: 'arn:aws:iam::*:role/kinesis-auto-encrypt-member' } }],
                  },
                },
              },
            },
          },
        },
      ]);
      expect(stack.role).toEqual(
        role
          ? {
              roleName: 'kinesis-auto-encrypt-member',
              trustPolicy: {
                Statement: [
                  { Effect: 'Allow', Principal: { AWS: [PARAMETERS.HubFunctionRoleArn] }, Action: 'sts:AssumeRole' },
                ],
              },
            }
          : undefined
      );
    }
  );
});

describe('memberStack of member/member.yml', () => {
  // The member template the StackSet deploys, as the local cloud's org mode reads it.
  const parameters = {
    ...PARAMETERS,
    HubStateMachineRoleArn: 'arn:aws:iam::111111111111:role/hub-state-machine',
    HubSweepRoleArn: 'arn:aws:iam::111111111111:role/hub-sweep',
    OrganizationId: 'o-example12345',
  };

  it('forwards the trigger calls except the member role’s own, and trusts only the hub roles of the organisation', () => {
    // Act
    const stack = memberStack(parameters, '222222222222', 'us-east-1');

    // Assess
    expect(stack.forwardRules).toHaveLength(1);
    expect(stack.forwardRules[0]).toMatchObject({
      targetArn: HUB_BUS,
      pattern: {
        source: ['aws.kinesis'],
        detail: {
          userIdentity: {
            sessionContext: {
              sessionIssuer: {
                arn: [
                  { exists: false },
                  { 'anything-but': { wildcard: 'arn:aws:iam::*:role/kinesis-auto-encrypt-member' } },
                ],
              },
            },
          },
        },
      },
    });
    expect(stack.role).toEqual({
      roleName: 'kinesis-auto-encrypt-member',
      trustPolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: {
              AWS: [PARAMETERS.HubFunctionRoleArn, parameters.HubStateMachineRoleArn, parameters.HubSweepRoleArn],
            },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-example12345' } },
          },
        ],
      },
    });
    expect(memberStack(parameters, '222222222222', 'eu-west-1').role).toBeUndefined();
  });
});
