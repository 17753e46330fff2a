import { type EventType, eventSchemas } from './contracts.generated.ts';
import { type TopicSpec, topics } from './topics.ts';

/** The topic that carries an event type (each event type travels on exactly one topic). */
export function topicOf(eventType: EventType): TopicSpec {
  const topic = Object.values(topics).find((t) =>
    (t.events as readonly string[]).includes(eventType),
  );
  if (!topic) throw new Error(`no topic in the catalog carries ${eventType}`);
  return topic;
}

export function fullNameOf(eventType: EventType): string {
  const { namespace, name } = eventSchemas[eventType] as { namespace: string; name: string };
  return `${namespace}.${name}`;
}

/**
 * The registry subject of an event's schema: TopicNameStrategy (`<topic>-value`) on topics
 * that carry one event type, TopicRecordNameStrategy (`<topic>-<record full name>`) on
 * topics that carry several.
 */
export function subjectOf(eventType: EventType): string {
  const topic = topicOf(eventType);
  return topic.events.length > 1 ? `${topic.name}-${fullNameOf(eventType)}` : `${topic.name}-value`;
}
