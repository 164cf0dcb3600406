import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../http-api/auth/auth.guard';
import { ServiceMetrics } from './service-metrics';

/**
 * GET /metrics: Prometheus text exposition (0.0.4) of this service's registry. No token, like the
 * health probes: scrapers are infrastructure, and the metrics carry no business data or ids.
 */
@Public()
@ApiExcludeController()
@Controller()
export class MetricsController {
  constructor(private readonly metrics: ServiceMetrics) {}

  @Get('metrics')
  async scrape(@Res() res: Response): Promise<void> {
    const { contentType, body } = await this.metrics.exposition();
    // end(), not send(): send() would rewrite the content type's parameters.
    res.setHeader('Content-Type', contentType);
    res.end(body);
  }
}
