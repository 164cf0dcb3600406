import { Controller, Get, Res, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Response } from 'express';
import { Roles } from '@finmesh/service-kit';
import { ChangeEventStream } from './change-event-stream';
import { ReadModelsChangedListener } from './read-models-changed-listener';

const MIN_INTERVAL_MS = 1_000;
const HEARTBEAT_MS = 15_000;

/**
 * `GET /v1/reports/stream`: server-sent events (`changed`) whenever the read models change, for the
 * dashboard to re-fetch its reports. Registered before the reports controller, whose
 * `/v1/reports/:report` would otherwise take `stream` for a report name.
 */
@Controller('v1/reports')
export class ReportStreamController implements BeforeApplicationShutdown {
  private readonly open = new Set<{ stream: ChangeEventStream; res: Response }>();

  constructor(private readonly listener: ReadModelsChangedListener) {}

  @Get('stream')
  @Roles('reporting-reader', 'ops', 'finance-approver')
  stream(@Res() res: Response): void {
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    // Reverse proxies (nginx) would otherwise buffer the stream and deliver events late.
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    const entry = { stream: new ChangeEventStream(res, { minIntervalMs: MIN_INTERVAL_MS, heartbeatMs: HEARTBEAT_MS }), res };
    this.open.add(entry);
    const unsubscribe = this.listener.subscribe(() => entry.stream.changed());
    // The response's 'close' (not the request's, which may close once its empty body is read) marks the client gone.
    res.on('close', () => {
      unsubscribe();
      entry.stream.close();
      this.open.delete(entry);
    });
  }

  /** Open streams would keep the HTTP server from closing: end them before it does. */
  beforeApplicationShutdown(): void {
    for (const { stream, res } of this.open) {
      stream.close();
      res.end();
    }
    this.open.clear();
  }
}
