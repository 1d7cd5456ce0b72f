// Throw-away stand-ins until member/member.yml and the org ASL (another branch) are merged: the real files win.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MEMBER_TEMPLATE_PATH } from '../../../src/local/memberTemplate';
import { CONFIRM_ENCRYPTION_ASL_PATH, CONFIRM_ENCRYPTION_ORG_ASL_PATH } from '../../../src/local/stateMachineRunner';

const STAND_IN_MEMBER = `
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  HubEventBusArn: { Type: String }
  HubFunctionRoleArn: { Type: String }
  HubStateMachineRoleArn: { Type: String }
  OrganizationId: { Type: String }
  MemberRoleName: { Type: String, Default: kinesis-auto-encrypt-member }
  RoleRegion: { Type: String }
  ProbeEnabled: { Type: String, Default: "false" }
  KmsKeyIamResource: { Type: String }
Conditions:
  IsRoleRegion: !Equals [!Ref AWS::Region, !Ref RoleRegion]
Resources:
  ForwardRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement: [{ Effect: Allow, Principal: { Service: events.amazonaws.com }, Action: sts:AssumeRole }]
  ForwardStreamEvents:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [aws.kinesis]
        detail-type: [AWS API Call via CloudTrail]
        detail:
          eventSource: [kinesis.amazonaws.com]
          errorCode: [{ exists: false }]
          eventName: [CreateStream, StopStreamEncryption, StartStreamEncryption, AddTagsToStream, RemoveTagsFromStream]
      Targets:
        - Id: hub
          Arn: !Ref HubEventBusArn
          RoleArn: !GetAtt ForwardRole.Arn
  MemberRole:
    Type: AWS::IAM::Role
    Condition: IsRoleRegion
    Properties:
      RoleName: !Ref MemberRoleName
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { AWS: [!Ref HubFunctionRoleArn, !Ref HubStateMachineRoleArn] }
            Action: sts:AssumeRole
            Condition: { StringEquals: { "aws:PrincipalOrgID": !Ref OrganizationId } }
`;

let dir: string | undefined;
const scratch = (): string => {
  dir ??= mkdtempSync(join(tmpdir(), 'kae-org-'));
  return dir;
};

/** member/member.yml, or a stand-in with the contract's names while it is not merged. */
export const memberTemplatePath = (): string => {
  if (existsSync(MEMBER_TEMPLATE_PATH)) return MEMBER_TEMPLATE_PATH;
  const path = join(scratch(), 'member.yml');
  writeFileSync(path, STAND_IN_MEMBER);
  return path;
};

/** The org ASL, or the account ASL with `Credentials` on its Kinesis tasks while it is not merged. */
export const orgDefinitionPath = (): string => {
  if (existsSync(CONFIRM_ENCRYPTION_ORG_ASL_PATH)) return CONFIRM_ENCRYPTION_ORG_ASL_PATH;
  const definition = JSON.parse(readFileSync(CONFIRM_ENCRYPTION_ASL_PATH, 'utf8')) as {
    States: Record<string, Record<string, unknown>>;
  };
  for (const state of Object.values(definition.States)) {
    if (String(state.Resource).includes(':states:::aws-sdk:kinesis:')) state.Credentials = { 'RoleArn.$': '$.roleArn' };
  }
  const path = join(scratch(), 'confirm-encryption-org.asl.json');
  writeFileSync(path, JSON.stringify(definition));
  return path;
};
