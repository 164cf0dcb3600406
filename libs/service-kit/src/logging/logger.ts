import pino, { type DestinationStream, type Logger } from 'pino';
import type { LoggerService } from '@nestjs/common';
import { sensitiveDataPolicy } from '@finmesh/contracts';
import { logContext } from './log-context';
import { redactSensitive } from './redaction';

export type { Logger } from 'pino';

/**
 * Structured JSON logger for a service; every log object passes through sensitive-field masking
 * and carries trace_id/span_id/correlation_id of the work in progress (see logContext).
 */
export function createLogger(serviceName: string, level: string, destination?: DestinationStream): Logger {
  // Redaction asks the sensitive-data policy, which is read from the contracts: build it now, so a
  // missing or broken schemas/ fails the start-up rather than the first log line.
  sensitiveDataPolicy();
  return pino(
    {
    name: serviceName,
    level,
    base: { service: serviceName },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: () => ({ ...logContext() }),
    formatters: {
      level: (label) => ({ level: label }),
      log: (obj) => redactSensitive(obj) as Record<string, unknown>,
    },
  },
    destination,
  );
}

/** Adapts pino to Nest's LoggerService so framework messages are structured too. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.write('info', message, context);
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.write('trace', message, context);
  }

  private write(level: 'info' | 'warn' | 'debug' | 'trace', message: unknown, context?: string): void {
    if (typeof message === 'object' && message !== null) this.logger[level]({ context, ...message });
    else this.logger[level]({ context }, String(message));
  }
}
