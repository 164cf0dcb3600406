import { applyDecorators, Injectable, SetMetadata, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBody } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { z } from 'zod/v4';
import { schemaProblems, type PayloadProblem } from '@finmesh/contracts';

const REQUEST_SCHEMA = 'finmesh:request-schema';

/** A body that does not fit its endpoint's request schema: 422 with every path (FieldProblemsFilter). */
export class RequestSchemaError extends Error {
  constructor(readonly problems: readonly PayloadProblem[]) {
    super(`${problems.length} field(s) do not fit the request schema`);
    this.name = 'RequestSchemaError';
  }
}

/** The JSON Schema (2020-12, as OpenAPI 3.1 takes it) a request schema emits. */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...document } = z.toJSONSchema(schema, { unrepresentable: 'any' }) as Record<string, unknown>;
  return document;
}

/**
 * Declares a write endpoint's body: a zod schema, the one validator of that body. The shared
 * interceptor checks every request against it after authentication and the input limits, before
 * the idempotency claim and the handler; the service's OpenAPI document (GET /v1/openapi.json)
 * shows the JSON Schema it emits. Every POST, PUT and PATCH route must have one: a service whose
 * document lists a write without a body schema does not start (writesWithoutBodySchema, checked by bootstrap).
 */
export function RequestSchema(schema: z.ZodType, description: string, options: { readonly bodyRequired?: boolean } = {}): MethodDecorator {
  return applyDecorators(SetMetadata(REQUEST_SCHEMA, schema), ApiBody({ description, required: options.bodyRequired ?? true, schema: jsonSchemaOf(schema) as SchemaObject }));
}

/** A write that takes no parameters: no body, or an empty JSON object (anything else is 422). */
export const NO_PARAMETERS_SCHEMA = z.strictObject({}).optional().meta({ title: 'No parameters', description: 'Send no body, or {}.' });

@Injectable()
export class RequestSchemaInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const schema = this.reflector.get<z.ZodType | undefined>(REQUEST_SCHEMA, context.getHandler());
    if (schema) {
      const problems = schemaProblems(schema, context.switchToHttp().getRequest<Request>().body);
      if (problems.length > 0) throw new RequestSchemaError(problems);
    }
    return next.handle();
  }
}

/** Write operations of an OpenAPI document that declare no request body ('POST /v1/x'). */
export function writesWithoutBodySchema(document: { readonly paths: object }): string[] {
  const paths = document.paths as Record<string, Partial<Record<string, { readonly requestBody?: unknown }>>>;
  return Object.entries(paths).flatMap(([path, operations]) =>
    ['post', 'put', 'patch'].filter((method) => operations[method] !== undefined && operations[method].requestBody === undefined).map((method) => `${method.toUpperCase()} ${path}`),
  );
}
