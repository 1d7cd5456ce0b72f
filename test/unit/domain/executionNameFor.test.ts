import { executionNameFor } from '../../../src/domain/executionNameFor';

describe('executionNameFor', () => {
  it('keeps a CloudTrail UUID as is', () => {
    // Act & Assess
    expect(executionNameFor('3f0a7f4c-3b8e-4f0e-9a57-1c2d3e4f5a6b')).toBe('3f0a7f4c-3b8e-4f0e-9a57-1c2d3e4f5a6b');
  });

  it.each([['a b'], ['ü'.repeat(100)], ['x'.repeat(81)], ['a:b/c']])('makes a valid stable name of %j', (eventId) => {
    // Act
    const name = executionNameFor(eventId);

    // Assess
    expect(name).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
    expect(executionNameFor(eventId)).toBe(name);
  });

  it('gives different names to ids that sanitise alike', () => {
    // Act & Assess
    expect(executionNameFor('a b')).not.toBe(executionNameFor('a:b'));
  });
});
