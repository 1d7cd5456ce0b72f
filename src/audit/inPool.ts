/**
 * Runs `work` on each of `items` in their order, at most `atOnce` at a time: a pool, not batches (a slow item holds
 * one place, not a batch). No item is taken once `keepGoing` answers false; items already taken finish.
 * @returns how many items were taken (the rest, `items.slice(taken)`, were not)
 */
export const inPool = async <T>(
  items: readonly T[],
  atOnce: number,
  work: (item: T, index: number) => Promise<void>,
  keepGoing: () => boolean = () => true
): Promise<number> => {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && keepGoing()) {
      const index = next++;
      await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, atOnce) }, worker));
  return next;
};
