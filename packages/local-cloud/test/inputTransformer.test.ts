import { applyInputTransformer } from '../src/inputTransformer';

// Amazon EventBridge input transformation, "Common issues with transforming input":
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
// "If you specify a variable to match a JSON path that doesn't exist in the event, that variable isn't created and
// won't appear in the output." — the placeholder of an absent path is replaced by nothing.

const event = {
  id: 'e-1',
  account: '123456789012',
  detail: {
    eventID: 'x',
    requestParameters: { streamName: 's', tags: { a: 'b' } },
    responseElements: null,
    userAgent: 'aws-cli/2 "quoted"',
  },
};

describe('applyInputTransformer', () => {
  it.each([
    ['a string value', { v: '$.detail.eventID' }, '{"value":<v>}', { value: 'x' }],
    [
      'an object value',
      { v: '$.detail.requestParameters' },
      '{"value":<v>}',
      { value: event.detail.requestParameters },
    ],
    ['a null value (the path exists)', { v: '$.detail.responseElements' }, '{"value":<v>}', { value: null }],
    ['text inside a string', { v: '$.account' }, '{"value":"account <v>"}', { value: 'account 123456789012' }],
    [
      'quotes escaped inside a string',
      { v: '$.detail.userAgent' },
      '{"value":"ua <v>"}',
      { value: 'ua aws-cli/2 "quoted"' },
    ],
    ['the whole event', { v: '$' }, '{"value":<v>}', { value: event }],
    ['nothing for an absent path inside a string', { v: '$.detail.invokedBy' }, '{"value":"<v>"}', { value: '' }],
    ['nothing for an absent path inside an array', { v: '$.detail.invokedBy' }, '{"value":[<v>]}', { value: [] }],
    ['a present value inside an array', { v: '$.detail.eventID' }, '{"value":[<v>]}', { value: ['x'] }],
    [
      'nothing for a path through an absent object',
      { v: '$.detail.userIdentity.sessionContext.sessionIssuer.arn' },
      '{"value":[<v>]}',
      { value: [] },
    ],
  ])('inserts %s', (_label, inputPathsMap, inputTemplate, expected) => {
    // Act
    const output = applyInputTransformer({ inputPathsMap, inputTemplate }, event);

    // Assess
    expect(output).toEqual(expected);
  });

  it('yields no JSON for an unquoted placeholder of an absent path, naming the variable', () => {
    // Prepare: the variable is not created, so `{"value":}` remains.
    const transformer = { inputPathsMap: { v: '$.detail.recipientAccountId' }, inputTemplate: '{"value":<v>}' };

    // Act & Assess
    expect(() => applyInputTransformer(transformer, event)).toThrow(/not JSON \(absent from the event: <v>\)/);
  });

  it('refuses a template variable the map does not define', () => {
    expect(() => applyInputTransformer({ inputPathsMap: {}, inputTemplate: '{"a":<nope>}' }, event)).toThrow(/<nope>/);
  });
});
