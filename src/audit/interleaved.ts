import type { StreamWithArn } from '../aws/streamArnsOf';
import type { SweepTarget } from './checkStream';

/** Streams of every target, one of each in turn, so every account's budget is used from the start. */
export const interleaved = (targets: { target: SweepTarget; streams: StreamWithArn[] }[]) => {
  const tasks: { target: SweepTarget; stream: StreamWithArn }[] = [];
  const longest = Math.max(0, ...targets.map(({ streams }) => streams.length));
  for (let index = 0; index < longest; index++) {
    for (const { target, streams } of targets) {
      const stream = streams[index];
      if (stream !== undefined) tasks.push({ target, stream });
    }
  }
  return tasks;
};
