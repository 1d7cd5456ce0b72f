import { inPool } from '../../../src/audit/inPool';

describe('inPool', () => {
  it.each([1, 3, 8])(
    'runs at most %i at once, takes every item in order, and says how many it took',
    async (atOnce) => {
      // Prepare
      const items = Array.from({ length: 10 }, (_, index) => index);
      const started: number[] = [];
      let running = 0;
      let most = 0;

      // Act
      const taken = await inPool(items, atOnce, async (item) => {
        started.push(item);
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setImmediate(resolve));
        running -= 1;
      });

      // Assess
      expect(taken).toBe(10);
      expect(started).toEqual(items);
      expect(most).toBe(Math.min(atOnce, items.length));
    }
  );

  it('takes no item once keepGoing says no; the ones taken finish', async () => {
    // Prepare
    const done: number[] = [];

    // Act
    const taken = await inPool(
      [0, 1, 2, 3, 4],
      2,
      async (item) => {
        await new Promise((resolve) => setImmediate(resolve));
        done.push(item);
      },
      () => done.length < 1
    );

    // Assess: 0 and 1 run together; once 0 is done, none is taken
    expect(taken).toBe(2);
    expect(done).toEqual([0, 1]);
  });

  it('runs one at a time when asked for none', async () => {
    // Act
    const taken = await inPool(['a'], 0, async () => {});

    // Assess
    expect(taken).toBe(1);
  });
});
