import { join } from 'node:path';
import { REPO_ROOT, ruleFromServerless, ruleFromServerlessText } from '../../../tools/dev';

const PATTERN = {
  source: ['aws.kinesis'],
  'detail-type': ['AWS API Call via CloudTrail'],
  detail: {
    eventSource: ['kinesis.amazonaws.com'],
    errorCode: [{ exists: false }],
    $or: [
      {
        eventName: ['CreateStream', 'StopStreamEncryption', 'StartStreamEncryption', 'AddTagsToStream', 'TagResource'],
      },
      {
        eventName: ['RemoveTagsFromStream', 'UntagResource'],
        requestParameters: { tagKeys: [{ prefix: 'kinesis-auto-encrypt:' }] },
      },
    ],
  },
};

describe('ruleFromServerless', () => {
  it('reads the encryptStream pattern of the repository serverless.yml', () => {
    // Act
    const rule = ruleFromServerless(join(REPO_ROOT, 'serverless.yml'));

    // Assess
    expect(rule).toMatchObject({ functionName: 'encryptStream', pattern: PATTERN, eventBus: 'default' });
    expect(rule.inputTransformer?.inputPathsMap).toMatchObject({ eventID: '$.detail.eventID' });
    expect(rule.inputTransformer?.inputTemplate).toContain('"eventID":<eventID>');
  });

  it('ignores variables and CloudFormation tags elsewhere and keeps a named bus', () => {
    // Prepare
    const text = [
      'provider:',
      '  stage: ${opt:stage, "dev"}',
      'functions:',
      '  other:',
      '    handler: x.handler',
      '  encryptStream:',
      '    environment:',
      '      TABLE: !Ref IdempotencyTable',
      '    events:',
      '      - sqs: { arn: !GetAtt Queue.Arn }',
      '      - eventBridge:',
      '          eventBus: governance',
      '          pattern:',
      '            source: [aws.kinesis]',
    ].join('\n');

    // Act
    const rule = ruleFromServerlessText(text);

    // Assess
    expect(rule).toEqual({
      functionName: 'encryptStream',
      pattern: { source: ['aws.kinesis'] },
      eventBus: 'governance',
    });
  });

  it.each([
    {
      case: 'no such function',
      text: 'functions:\n  other:\n    handler: x.handler\n',
      message: /no function "encryptStream"/,
    },
    {
      case: 'no eventBridge event',
      text: 'functions:\n  encryptStream:\n    events:\n      - schedule: rate(1 hour)\n',
      message: /no eventBridge pattern/,
    },
    { case: 'no functions at all', text: 'service: x\n', message: /no function "encryptStream"/ },
  ])('throws when there is $case', ({ text, message }) => {
    // Act & Assess
    expect(() => ruleFromServerlessText(text)).toThrow(message);
  });
});
