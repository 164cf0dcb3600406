import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { SERVICE_CONFIG } from '../bootstrap/tokens';
import type { ServiceConfig } from '../config/service-config';
import { Public } from '../http-api/auth/auth.guard';
import { assessReadiness, DEPENDENCY_CHECKS, type DependencyCheck, type ReadinessReport } from './dependency-check';

/**
 * Liveness says the process is running (restart it if not); readiness says it can do its work
 * right now (route traffic to it only then), with the state of each dependency.
 */
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(DEPENDENCY_CHECKS) private readonly checks: DependencyCheck[],
  ) {}

  @Get('live')
  live(): { status: 'alive'; service: string; uptimeS: number } {
    return { status: 'alive', service: this.config.serviceName, uptimeS: Math.round(process.uptime()) };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response): Promise<ReadinessReport> {
    const report = await assessReadiness(this.config.serviceName, this.checks, this.config.readyTimeoutMs);
    res.status(report.status === 'ready' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }
}
