import type { ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';

const children = new Set<ChildProcess>();
let hooksInstalled = false;

const killAll = (): void => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
};

const onSignal = (signal: NodeJS.Signals): void => {
  killAll();
  // Keep the default behaviour (exit) unless someone else handles the signal.
  if (process.listenerCount(signal) === 1) {
    process.off(signal, onSignal);
    process.kill(process.pid, signal);
  }
};

const installHooks = (): void => {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAll);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
};

/**
 * Tracks a child process so it is killed when this process exits or gets SIGINT/SIGTERM.
 * Returns a function that stops tracking it.
 */
export const trackChild = (child: ChildProcess): (() => void) => {
  installHooks();
  children.add(child);
  const untrack = (): void => {
    children.delete(child);
  };
  child.once('exit', untrack);
  return untrack;
};

/**
 * Node `--import` argument that makes a child exit when its stdin closes, i.e. when its parent
 * dies (even by SIGKILL): spawn the child with `stdio[0] = 'pipe'` and keep the pipe open.
 */
export const PARENT_WATCH_IMPORT =
  'data:text/javascript,const s=process.stdin;s.on("end",()=>process.exit(0));s.on("error",()=>process.exit(0));s.resume();s.unref?.();';

/** Path of a Node ≥ 22 binary: this process's when it is 22+, else the `node` devDependency's. */
export const nodeBinary = (): string => {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= 22) return process.execPath;
  return join(dirname(require.resolve('node/package.json')), 'bin', 'node');
};

/** Sends SIGTERM, then SIGKILL after `graceMs`; resolves once the child has exited. */
export const stopChild = async (child: ChildProcess, graceMs = 2_000): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
};
