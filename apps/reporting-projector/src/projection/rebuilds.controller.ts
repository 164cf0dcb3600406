import { ConflictException, Controller, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { CurrentCaller, NO_PARAMETERS_SCHEMA, RequestSchema, Roles, type Caller } from '@finmesh/service-kit';
import { RebuildJobs, type RebuildJob } from './rebuild-jobs';

/** Operators rebuild the read models from the event history (`finmesh rebuild reporting`). */
@Controller('v1/admin/rebuilds')
export class RebuildsController {
  constructor(private readonly jobs: RebuildJobs) {}

  @Post()
  @HttpCode(202)
  @Roles('ops')
  @RequestSchema(NO_PARAMETERS_SCHEMA, 'Starts a rebuild of every read model; it takes no parameters.', { bodyRequired: false })
  start(@CurrentCaller() caller: Caller): { rebuildId: string; status: string; href: string } {
    const running = this.jobs.running();
    if (running) throw new ConflictException(`rebuild ${running.rebuildId} is still running; poll GET /v1/admin/rebuilds/${running.rebuildId}`);
    const job = this.jobs.start(caller.clientId);
    return { rebuildId: job.rebuildId, status: job.status, href: `/v1/admin/rebuilds/${job.rebuildId}` };
  }

  @Get(':rebuildId')
  @Roles('ops')
  status(@Param('rebuildId') rebuildId: string): RebuildJob {
    const job = this.jobs.get(rebuildId);
    if (!job) throw new NotFoundException(`no rebuild ${rebuildId} (rebuilds are kept until the projector restarts)`);
    return job;
  }
}
