import { randomUUID } from 'node:crypto';
import { DomainError } from '@commerce/service';
import type { DestinationCheck } from './destination.ts';
import type { EndpointChanges, EndpointStore } from './endpoint-store.ts';
import type { Endpoint, SubscribableEventType } from './model.ts';
import { newSigningSecret } from './secrets.ts';

export interface EndpointDeps {
  endpoints: EndpointStore;
  checkDestination: DestinationCheck;
  now: () => Date;
  /** How long the previous secret still signs after a rotation. */
  secretGraceMs: number;
}

export interface EndpointInput {
  url: string;
  eventTypes: SubscribableEventType[];
  description?: string | undefined;
  rateLimitPerSecond?: number | undefined;
  ordered?: boolean | undefined;
}

/** Registers an endpoint; the secret is returned this once and never shown again. */
export async function createEndpoint(
  deps: EndpointDeps,
  input: EndpointInput,
): Promise<Endpoint & { secret: string }> {
  await deps.checkDestination(input.url);
  const secret = newSigningSecret();
  const endpoint = await deps.endpoints.create({
    id: randomUUID(),
    url: input.url,
    description: input.description ?? null,
    eventTypes: [...new Set(input.eventTypes)],
    rateLimitPerSecond: input.rateLimitPerSecond ?? null,
    ordered: input.ordered ?? false,
    secret,
  });
  return { ...endpoint, secret };
}

export async function getEndpoint(deps: Pick<EndpointDeps, 'endpoints'>, id: string) {
  const endpoint = await deps.endpoints.get(id);
  if (!endpoint) throw new DomainError('ENDPOINT_NOT_FOUND', `no endpoint ${id}`);
  return endpoint;
}

export async function updateEndpoint(deps: EndpointDeps, id: string, changes: EndpointChanges) {
  if (changes.url !== undefined) await deps.checkDestination(changes.url);
  const unique = changes.eventTypes ? { eventTypes: [...new Set(changes.eventTypes)] } : {};
  const endpoint = await deps.endpoints.update(id, { ...changes, ...unique }, deps.now());
  if (!endpoint) throw new DomainError('ENDPOINT_NOT_FOUND', `no endpoint ${id}`);
  return endpoint;
}

export async function deleteEndpoint(deps: Pick<EndpointDeps, 'endpoints'>, id: string) {
  if (!(await deps.endpoints.delete(id)))
    throw new DomainError('ENDPOINT_NOT_FOUND', `no endpoint ${id}`);
}

/** A new secret; until the grace period ends, deliveries carry both signatures. */
export async function rotateSecret(deps: EndpointDeps, id: string) {
  const secret = newSigningSecret();
  const previousSecretValidUntil = new Date(deps.now().getTime() + deps.secretGraceMs);
  if (!(await deps.endpoints.rotateSecret(id, secret, previousSecretValidUntil)))
    throw new DomainError('ENDPOINT_NOT_FOUND', `no endpoint ${id}`);
  return { secret, previousSecretValidUntil };
}
