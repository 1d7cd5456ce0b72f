import { createServer } from 'node:net';

/** Loopback address every local emulator binds to. */
export const LOCAL_HOST = '127.0.0.1';

/**
 * Asks the OS for a free TCP port on the loopback interface.
 * The port is released before it is returned, so bind it soon after.
 */
export const freePort = (host: string = LOCAL_HOST): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('No free port found'))));
    });
  });
