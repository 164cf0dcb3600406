import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Requests a simulator holds open to play a timeout (a platform that never answers): after `ms`
 * the socket is destroyed without a status line, so the client sees the connection drop
 * (ECONNRESET / socket hang up). `releaseAll` clears the timers so closing the server never waits
 * for them.
 */
export class HeldRequests {
  private readonly timers = new Set<NodeJS.Timeout>();

  hold(req: IncomingMessage, res: ServerResponse, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      req.socket.destroy();
    }, ms);
    this.timers.add(timer);
    res.on('close', () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    });
  }

  releaseAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
