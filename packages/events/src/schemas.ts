import { type EventType, eventSchemas, eventTypes } from './contracts.generated.ts';
import type { SubjectSchema } from './registration.ts';
import { subjectOf } from './subjects.ts';

/** Every event schema under the subject the services produce it to. */
export function subjectSchemas(types: readonly EventType[] = eventTypes): SubjectSchema[] {
  return types.map((type) => ({ subject: subjectOf(type), schema: eventSchemas[type] }));
}
