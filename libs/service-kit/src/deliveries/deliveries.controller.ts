import { BadRequestException, Controller, Get, Inject, Query } from '@nestjs/common';
import { deliveryHistory, ensureDeliveryTables, type DeliveryTiming } from '@finmesh/connectors';
import { Roles } from '../http-api/auth/auth.guard';
import { SERVICE_CONFIG } from '../bootstrap/tokens';
import type { ServiceConfig } from '../config/service-config';
import { DatabaseConnection } from '../database/database-connection';

const MAX_LIMIT = 5000;

/**
 * GET /v1/ops/deliveries: the service's write-back deliveries (its delivery ledger), newest
 * first: what was delivered to which platform, when, how many attempts, what the platform
 * answered, and when the event was committed. `sink` (platform:flow), `since` (ISO time) and
 * `limit` (default 100, at most 5000) narrow it. Ops only: answers carry platform messages.
 */
@Controller('v1/ops')
export class DeliveriesController {
  private ledgerReady: Promise<void> | undefined;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly database: DatabaseConnection,
  ) {}

  @Get('deliveries')
  @Roles('ops')
  async list(@Query('sink') sink?: string, @Query('since') since?: string, @Query('limit') limit?: string): Promise<{ items: DeliveryTiming[] }> {
    const problems: string[] = [];
    const sinceAt = since === undefined ? undefined : new Date(since);
    if (sinceAt && Number.isNaN(sinceAt.getTime())) problems.push('since: must be an ISO 8601 date-time');
    const max = limit === undefined ? 100 : Number(limit);
    if (!Number.isInteger(max) || max < 1 || max > MAX_LIMIT) problems.push(`limit: must be a whole number from 1 to ${MAX_LIMIT}`);
    if (sink !== undefined && !/^[a-z0-9-]+:[a-z0-9-]+$/.test(sink)) problems.push('sink: must be <platform>:<flow>, e.g. coupa:supplier-holds');
    if (problems.length > 0) throw new BadRequestException({ message: 'invalid query', problems });
    const schema = this.config.database.schema;
    // A service whose sinks never started has no ledger yet: an empty answer, not a 500.
    // Once per process, not per request (DDL takes locks).
    this.ledgerReady ??= ensureDeliveryTables(this.database.dataSource, schema).catch((err: unknown) => {
      this.ledgerReady = undefined;
      throw err;
    });
    await this.ledgerReady;
    return { items: await deliveryHistory(this.database.dataSource, schema, { ...(sink ? { sink } : {}), ...(sinceAt ? { since: sinceAt } : {}), limit: max }) };
  }
}
