import type { Delivery, DeliveryStatus } from './model.ts';

export interface DeliveryFilter {
  status?: DeliveryStatus | undefined;
  endpointId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  limit: number;
}

export interface EndpointStats {
  attempts: number;
  delivered: number;
  successRate: number | null;
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
  lastError: { at: Date; statusCode: number | null; error: string | null } | null;
  deliveriesByStatus: Partial<Record<DeliveryStatus, number>>;
}

/** Operator views and actions on deliveries (data-access implements it). */
export interface DeliveryStore {
  list(filter: DeliveryFilter): Promise<Delivery[]>;
  get(id: string): Promise<Delivery | null>;
  /** Makes a finished delivery due now with its attempts reset (same id, so same webhook-id). False if not finished. */
  replay(id: string, now: Date): Promise<boolean>;
  /** Replays the endpoint's dead letters created in the range; how many. */
  replayDeadLetters(endpointId: string, from: Date, to: Date, now: Date): Promise<number>;
  stats(endpointId: string, since: Date): Promise<EndpointStats>;
}
