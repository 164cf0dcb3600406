import { context, defaultTextMapSetter, trace, type Context, type TextMapGetter } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { IHeaders } from 'kafkajs';

export const TRACEPARENT_HEADER = 'traceparent';
export const TRACESTATE_HEADER = 'tracestate';

/**
 * A module-level W3C propagator rather than the global one: serializing a traceparent into an outbox
 * row or a Kafka header must not depend on whether (or with what) the process registered a global
 * propagator, and must never carry baggage (which could hold business data) onto the wire.
 */
const w3c = new W3CTraceContextPropagator();

type TraceCarrier = Record<string, string | undefined>;

const carrierGetter: TextMapGetter<TraceCarrier> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
};

/**
 * The W3C traceparent of the active span (or of `ctx`), e.g.
 * `00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01`; `undefined` without a valid span.
 *
 * Store it in the outbox row when the event is written, inside the business action's span: the
 * relay publishes later, from its own loop, and uses it as the parent of the publish span.
 */
export function currentTraceparent(ctx: Context = context.active()): string | undefined {
  const carrier: Record<string, string> = {};
  w3c.inject(ctx, carrier, defaultTextMapSetter);
  return carrier[TRACEPARENT_HEADER];
}

/**
 * `base` (default: the active context) with its span replaced by the remote span the traceparent
 * names. A missing or malformed traceparent gives `base` without any span, so a span started in it
 * is the root of a new trace rather than an accidental child of whatever happened to be active.
 */
export function contextFromTraceparent(traceparent: string | null | undefined, base: Context = context.active()): Context {
  return extractInto(base, { [TRACEPARENT_HEADER]: traceparent ?? undefined });
}

/**
 * Writes `traceparent` (and `tracestate` when set) of the active span (or of `ctx`) into
 * `headers`, replacing values already there; returns the same object. Leaves `headers` unchanged
 * when there is no valid span.
 */
export function injectTraceHeaders(headers: Record<string, string>, ctx: Context = context.active()): Record<string, string> {
  w3c.inject(ctx, headers, defaultTextMapSetter);
  return headers;
}

/**
 * The context carried by a Kafka record's `traceparent`/`tracestate` headers (see
 * `contextFromTraceparent` for the no-header case: no span, so a new trace).
 */
export function contextFromKafkaHeaders(headers: IHeaders | undefined, base: Context = context.active()): Context {
  return extractInto(base, {
    [TRACEPARENT_HEADER]: kafkaHeaderString(headers, TRACEPARENT_HEADER),
    [TRACESTATE_HEADER]: kafkaHeaderString(headers, TRACESTATE_HEADER),
  });
}

/**
 * One kafkajs header as a string. kafkajs delivers values as Buffer (consumer side), string (what
 * the producer was given) or an array when the key repeats; for a repeated key the LAST value wins
 * (the usual Kafka convention, e.g. Java's `Headers.lastHeader`: a re-publisher appends the newest).
 * Looks the name up exactly first, then case-insensitively.
 */
export function kafkaHeaderString(headers: IHeaders | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  let raw = headers[name];
  if (raw === undefined) {
    const lower = name.toLowerCase();
    const match = Object.keys(headers).find((k) => k.toLowerCase() === lower);
    raw = match === undefined ? undefined : headers[match];
  }
  const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.toString('utf8');
}

function extractInto(base: Context, carrier: TraceCarrier): Context {
  // Drop the active span first: the W3C propagator returns its input unchanged when nothing valid
  // is found, which would otherwise keep the local span as the parent.
  return w3c.extract(trace.deleteSpan(base), carrier, carrierGetter);
}
