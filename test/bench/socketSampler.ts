import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Every `ms`, the TCP connections each process of one local function holds, and the most seen in one process. */
export interface SocketSampler {
  /** The most TCP sockets (any state but LISTEN) one process of the function held at one sample. */
  peak(): number;
  /** Samples taken in which a process of the function was found. */
  samples(): number;
  /** CPU seconds (user + system) the busiest process of the function had used at its last sample. */
  cpuSeconds(): number;
  stop(): void;
}

const readOr = (path: string, fallback: string): string => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
};

/** Inodes of the TCP sockets of the process's network namespace that are not listening (/proc/<pid>/net/tcp, tcp6). */
const tcpInodes = (pid: string): Set<string> => {
  const inodes = new Set<string>();
  for (const table of ['tcp', 'tcp6']) {
    for (const line of readOr(`/proc/${pid}/net/${table}`, '').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // sl local rem st tx:rx tr:when retrnsmt uid timeout inode; st 0A = LISTEN.
      if (fields.length > 9 && fields[3] !== '0A') inodes.add(fields[9] as string);
    }
  }
  return inodes;
};

/** The socket inodes among the process's file descriptors (/proc/<pid>/fd links `socket:[inode]`). */
const socketInodes = (pid: string): string[] => {
  const inodes: string[] = [];
  let fds: string[] = [];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return inodes;
  }
  for (const fd of fds) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match !== null) inodes.push(match[1] as string);
    } catch {
      // closed meanwhile
    }
  }
  return inodes;
};

/** Processes whose environment names the Lambda function `functionName` (the local Lambda runtime's workers). */
const processesOf = (functionName: string): string[] =>
  readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) =>
      readOr(`/proc/${pid}/environ`, '').split('\0').includes(`AWS_LAMBDA_FUNCTION_NAME=${functionName}`)
    );

/**
 * Counts, from outside, the TCP connections the worker processes of the local function `functionName` hold: every
 * `ms` the socket descriptors of each process (/proc/<pid>/fd) that are TCP sockets not listening
 * (/proc/<pid>/net/tcp and tcp6). Linux only (no /proc: peak 0, samples 0).
 */
export const sampleSockets = (functionName: string, ms = 50): SocketSampler => {
  let peak = 0;
  let samples = 0;
  let pids: string[] = [];
  let rescanAt = 0;
  const cpu = new Map<string, number>();
  const timer = setInterval(() => {
    try {
      // Every process's environment is read to find the function's: once found, every 5 s (a new worker), not at
      // each sample (the bench's own CPU is taken from the sweep it measures).
      if (Date.now() >= rescanAt || pids.length === 0) {
        pids = processesOf(functionName);
        rescanAt = Date.now() + 5_000;
      }
      for (const pid of pids) {
        // /proc/<pid>/stat fields 14 and 15 (utime, stime) in clock ticks, after the command in parentheses.
        const stat = readOr(`/proc/${pid}/stat`, '').split(') ')[1]?.split(' ') ?? [];
        const ticks = Number(stat[11] ?? 0) + Number(stat[12] ?? 0);
        if (Number.isFinite(ticks) && ticks > 0) cpu.set(pid, ticks / 100);
        const sockets = socketInodes(pid);
        if (sockets.length === 0) continue;
        samples += 1;
        // The TCP tables hold every connection of the machine's namespace (the local cloud's thousand): read them
        // only when this sample could be a new peak, so the sampler does not take the CPU the sweep is measured on.
        if (sockets.length <= peak) continue;
        const tcp = tcpInodes(pid);
        peak = Math.max(peak, sockets.filter((inode) => tcp.has(inode)).length);
      }
    } catch {
      // no /proc here
    }
  }, ms);
  return {
    peak: () => peak,
    samples: () => samples,
    cpuSeconds: () => Math.max(0, ...cpu.values()),
    stop: () => clearInterval(timer),
  };
};
