/** Test helper: a mapped payload plus a sample envelope must validate against the event's Avro contract. */
import {
  avroTypeFor,
  type EventName,
  type FieldProblem,
  localSchemaSource,
  sampleValue,
  validateAgainstSchema,
} from '@finmesh/contracts';

export function contractProblems(event: EventName, payload: object): FieldProblem[] {
  const schema = localSchemaSource().latestSchema(event);
  const sample = sampleValue(schema, 'logical') as { envelope: unknown };
  return validateAgainstSchema(avroTypeFor(schema), { envelope: sample.envelope, ...payload });
}

export const LEGAL_ENTITIES = {
  DE01: { code: 'DE01', country: 'DE', name: 'finmesh Demo GmbH' },
  US01: { code: 'US01', country: 'US', name: 'finmesh Demo Inc.' },
} as const;
