import { applyInputTransformer } from '../src/inputTransformer';

const event = {
  id: 'e-1',
  account: '123456789012',
  detail: { eventID: 'x', requestParameters: { streamName: 's', tags: { a: 'b' } }, userAgent: 'aws-cli/2 "quoted"' },
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
    ['a missing path', { v: '$.detail.userIdentity.invokedBy' }, '{"value":<v>}', { value: null }],
    ['text inside a string', { v: '$.account' }, '{"value":"account <v>"}', { value: 'account 123456789012' }],
    [
      'quotes escaped inside a string',
      { v: '$.detail.userAgent' },
      '{"value":"ua <v>"}',
      { value: 'ua aws-cli/2 "quoted"' },
    ],
    ['the whole event', { v: '$' }, '{"value":<v>}', { value: event }],
  ])('inserts %s', (_label, inputPathsMap, inputTemplate, expected) => {
    // Act
    const output = applyInputTransformer({ inputPathsMap, inputTemplate }, event);

    // Assess
    expect(output).toEqual(expected);
  });

  it('refuses a template variable the map does not define', () => {
    expect(() => applyInputTransformer({ inputPathsMap: {}, inputTemplate: '{"a":<nope>}' }, event)).toThrow(/<nope>/);
  });
});
