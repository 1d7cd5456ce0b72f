import { parseCloudFormationYaml, resolveIntrinsics, type TemplateContext } from '../src/cloudFormationYaml';

// Intrinsic functions and short forms as CloudFormation defines them
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html;
// AWS::NoValue removes the property: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/pseudo-parameter-reference.html).
const context: TemplateContext = {
  parameters: { RoleName: 'member', Regions: 'us-east-1,eu-west-1', Empty: '' },
  pseudo: { 'AWS::AccountId': '222222222222', 'AWS::Region': 'eu-west-1', 'AWS::Partition': 'aws' },
  conditions: {
    IsEu: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] },
    IsEmpty: { 'Fn::Equals': [{ Ref: 'Empty' }, ''] },
    NotEu: { 'Fn::Not': [{ Condition: 'IsEu' }] },
  },
};

describe('parseCloudFormationYaml and resolveIntrinsics', () => {
  it.each([
    ['!Ref RoleName', 'member'],
    ['!Ref AWS::AccountId', '222222222222'],
    ['!Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${RoleName}', 'arn:aws:iam::222222222222:role/member'],
    ['!Sub ["${Name}-hub", { Name: !Ref RoleName }]', 'member-hub'],
    ['!If [IsEu, eu, other]', 'eu'],
    ['!If [NotEu, eu, other]', 'other'],
    ['!If [IsEmpty, empty, set]', 'empty'],
    ['!Join ["/", [a, !Ref RoleName]]', 'a/member'],
    ['!Select [1, !Split [",", !Ref Regions]]', 'eu-west-1'],
    ['!GetAtt ForwardRole.Arn', 'ForwardRole.Arn'],
    ['!Equals [!Ref AWS::Region, eu-west-1]', true],
  ])('resolves %s', (yaml, expected) => {
    // Act
    const resolved = resolveIntrinsics(parseCloudFormationYaml(`value: ${yaml}`), context);

    // Assess
    expect(resolved).toEqual({ value: expected });
  });

  it('removes list items and properties that resolve to AWS::NoValue', () => {
    // Prepare
    const yaml = ['list:', '  - kept', '  - !If [NotEu, dropped, !Ref AWS::NoValue]', 'gone: !Ref AWS::NoValue'];

    // Act
    const resolved = resolveIntrinsics(parseCloudFormationYaml(yaml.join('\n')), context);

    // Assess
    expect(resolved).toEqual({ list: ['kept'] });
  });

  it('refuses a Ref without a value, as CloudFormation would', () => {
    // Act
    const resolve = () => resolveIntrinsics(parseCloudFormationYaml('value: !Ref Unknown'), context);

    // Assess
    expect(resolve).toThrow('no value for Ref Unknown');
  });
});
