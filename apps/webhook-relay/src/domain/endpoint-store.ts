import type { DisabledReason, Endpoint, SubscribableEventType } from './model.ts';

export interface NewEndpoint {
  id: string;
  url: string;
  description: string | null;
  eventTypes: SubscribableEventType[];
  rateLimitPerSecond: number | null;
  ordered: boolean;
  secret: string;
}

export interface EndpointChanges {
  url?: string;
  description?: string | null;
  eventTypes?: SubscribableEventType[];
  rateLimitPerSecond?: number | null;
  /** true enables (and releases the paused backlog), false disables (reason MANUAL). */
  enabled?: boolean;
}

/** The endpoints the operator API manages (data-access implements it). */
export interface EndpointStore {
  create(endpoint: NewEndpoint): Promise<Endpoint>;
  list(): Promise<Endpoint[]>;
  get(id: string): Promise<Endpoint | null>;
  /** Applies the changes; enabling moves the endpoint's PAUSED deliveries back to due now. Null when unknown. */
  update(id: string, changes: EndpointChanges, now: Date): Promise<Endpoint | null>;
  delete(id: string): Promise<boolean>;
  /** The new secret becomes current; the old one is sent as well until `previousValidUntil`. */
  rotateSecret(id: string, secret: string, previousValidUntil: Date): Promise<boolean>;
}

export type { DisabledReason };
