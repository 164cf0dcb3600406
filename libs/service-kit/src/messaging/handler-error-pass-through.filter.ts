import { Catch, type ArgumentsHost, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';

/**
 * Nest's default RPC exception handling replaces any error that is not an RpcException with
 * `{ status: 'error', message: 'Internal server error' }`. The finmesh transport needs the
 * original error to decide between retry and dead letter (a PostgreSQL 22003 is permanent, a
 * connection reset is not), so event handlers' errors are passed through unchanged.
 */
@Catch()
export class HandlerErrorPassThroughFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}
