import { CallRateLimiter, type LimiterClock } from '../../../src/aws/callRateLimiter';

/** A clock that only moves when a caller sleeps. */
const fakeClock = (): LimiterClock & { time: number } => {
  const clock = {
    time: 0,
    now: () => clock.time,
    sleep: async (ms: number) => {
      clock.time += ms;
    },
  };
  return clock;
};

/** Most starts within any window of `windowMs`. */
const peakIn = (starts: number[], windowMs: number): number =>
  Math.max(...starts.map((start) => starts.filter((at) => at >= start && at < start + windowMs).length));

// DescribeStreamSummary "has a limit of 20 transactions per second per account" (Kinesis API reference,
// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DescribeStreamSummary.html): the CLI spends
// --describe-rate of it and must never exceed that rate in any second.
describe('CallRateLimiter', () => {
  it.each([
    [10, 100],
    [20, 45],
    [1, 5],
    [5, 23],
  ])('at %p/s lets no more start within any second, %p calls queued at once', async (perSecond, calls) => {
    // Prepare
    const clock = fakeClock();
    const limiter = new CallRateLimiter(perSecond, { clock, windowMs: 1000 });
    const starts: number[] = [];

    // Act
    await Promise.all(Array.from({ length: calls }, () => limiter.acquire().then(() => starts.push(clock.time))));

    // Assess
    expect(starts).toHaveLength(calls);
    expect(peakIn(starts, 1000)).toBe(Math.min(perSecond, calls));
    // No slower than needed: the last call starts in the window after (calls - 1) / perSecond full windows.
    expect(Math.max(...starts)).toBe(Math.floor((calls - 1) / perSecond) * 1000);
  });

  it('keeps a margin by default: calls of two bursts are at least 1050 ms apart', async () => {
    // Prepare
    const clock = fakeClock();
    const limiter = new CallRateLimiter(2, { clock });
    const starts: number[] = [];

    // Act
    for (let call = 0; call < 4; call++) {
      await limiter.acquire();
      starts.push(clock.time);
    }

    // Assess
    expect(starts).toEqual([0, 0, 1050, 1050]);
  });

  it('reuses a slot a window after its call completed (done), so a late request never bunches with the next', async () => {
    // Prepare
    const clock = fakeClock();
    const limiter = new CallRateLimiter(2, { clock, windowMs: 1000 });
    const starts: number[] = [];

    // Act
    const first = await limiter.acquire();
    starts.push(clock.time);
    await limiter.acquire();
    starts.push(clock.time);
    // The first call's answer comes 300 ms after it started.
    clock.time += 300;
    first();
    for (let call = 0; call < 2; call++) {
      await limiter.acquire();
      starts.push(clock.time);
    }

    // Assess
    expect(starts).toEqual([0, 0, 1000, 1300]);
  });

  it('refuses a rate that is not positive', () => {
    // Act / Assess
    expect(() => new CallRateLimiter(0)).toThrow(RangeError);
  });
});
