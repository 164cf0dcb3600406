import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Starts listening (port 0 = any free port) and resolves with the base URL, e.g. http://127.0.0.1:39123. */
export async function listenOn(server: Server, port: number | undefined, host: string | undefined): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port ?? 0, host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return `http://${address.address}:${address.port}`;
}
