import { catcherFor, errorMatches, nextRetryDelayMs, type Retrier } from '../src/statesRetry';

// "Handling errors in Step Functions workflows"
// (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html): IntervalSeconds (default 1),
// MaxAttempts (default 3), BackoffRate (default 2.0), MaxDelaySeconds caps the interval, JitterStrategy FULL draws
// the interval at random in [0, interval]; States.ALL matches any error but States.Runtime (and DataLimitExceeded),
// States.TaskFailed any but States.Timeout.
const delays = (
  retrier: Omit<Retrier, 'ErrorEquals'>,
  times: number,
  random?: () => number
): (number | undefined)[] => {
  const counts: number[] = [];
  return Array.from({ length: times }, () =>
    nextRetryDelayMs([{ ErrorEquals: ['States.ALL'], ...retrier }], counts, 'Custom.E', undefined, random)
  );
};

describe('nextRetryDelayMs', () => {
  it.each([
    { retrier: {}, expected: [1000, 2000, 4000, undefined] },
    { retrier: { IntervalSeconds: 3, BackoffRate: 1.5, MaxAttempts: 2 }, expected: [3000, 4500, undefined] },
    {
      retrier: { IntervalSeconds: 2, MaxDelaySeconds: 5, MaxAttempts: 4 },
      expected: [2000, 4000, 5000, 5000, undefined],
    },
    { retrier: { MaxAttempts: 0 }, expected: [undefined] },
  ])('delays retries by $expected with $retrier', ({ retrier, expected }) => {
    // Act
    const actual = delays(retrier, expected.length);

    // Assess
    expect(actual).toEqual(expected);
  });

  it.each([
    { random: () => 0, expected: [0, 0] },
    { random: () => 0.5, expected: [500, 1000] },
  ])('draws FULL jitter from [0, interval]', ({ random, expected }) => {
    // Act
    const actual = delays({ JitterStrategy: 'FULL', MaxAttempts: 2 }, 2, random);

    // Assess
    expect(actual).toEqual(expected);
  });

  it('keeps FULL jitter within [0, interval] with Math.random', () => {
    // Act
    const actual = Array.from({ length: 200 }, () => delays({ JitterStrategy: 'FULL', IntervalSeconds: 4 }, 1)[0]);

    // Assess
    expect(Math.min(...(actual as number[]))).toBeGreaterThanOrEqual(0);
    expect(Math.max(...(actual as number[]))).toBeLessThanOrEqual(4000);
    expect(new Set(actual).size).toBeGreaterThan(1);
  });

  it.each([
    { override: 7, expected: [7, 7, undefined] },
    // Like aws-local-stepfunctions' retryIntervalOverrides: an array holds one value per retrier index.
    { override: [-1, 9], expected: [1000, 9, undefined] },
  ])('replaces the delay with the override $override', ({ override, expected }) => {
    // Prepare
    const retriers: Retrier[] = [
      { ErrorEquals: ['Custom.A'], MaxAttempts: 1, JitterStrategy: 'FULL' },
      { ErrorEquals: ['Custom.B'], MaxAttempts: 1 },
    ];
    const counts: number[] = [];

    // Act
    const actual = ['Custom.A', 'Custom.B', 'Custom.A'].map((name) =>
      nextRetryDelayMs(retriers, counts, name, override, () => 1)
    );

    // Assess
    expect(actual).toEqual(expected);
  });
});

describe('errorMatches', () => {
  it.each([
    { errorEquals: ['States.ALL'], name: 'Custom.E', expected: true },
    { errorEquals: ['States.ALL'], name: 'States.Timeout', expected: true },
    { errorEquals: ['States.ALL'], name: 'States.Runtime', expected: false },
    { errorEquals: ['States.Runtime'], name: 'States.Runtime', expected: false },
    { errorEquals: ['States.TaskFailed'], name: 'Custom.E', expected: true },
    { errorEquals: ['States.TaskFailed'], name: 'States.Timeout', expected: false },
    { errorEquals: ['Custom.A', 'Custom.E'], name: 'Custom.E', expected: true },
    { errorEquals: ['Custom.A'], name: 'Custom.E', expected: false },
  ])('$errorEquals matches $name: $expected', ({ errorEquals, name, expected }) => {
    // Act
    const actual = errorMatches(errorEquals, name);

    // Assess
    expect(actual).toBe(expected);
  });

  it('picks the first matching catcher', () => {
    // Act
    const actual = catcherFor(
      [
        { ErrorEquals: ['Custom.A'], Next: 'A' },
        { ErrorEquals: ['States.ALL'], Next: 'All' },
        { ErrorEquals: ['Custom.E'], Next: 'E' },
      ],
      'Custom.E'
    );

    // Assess
    expect(actual?.Next).toBe('All');
  });
});
