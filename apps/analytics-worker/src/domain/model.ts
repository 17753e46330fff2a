import type {
  CouponIssueFailed,
  CouponIssueSucceeded,
  OrderCompleted,
  ProductStockChanged,
} from '@commerce/events';
import type { HourBucket } from './hours.ts';

/** The events analytics counts, with the offset each came from. */
export type AnalyticsEvent =
  | { type: 'OrderCompleted'; payload: OrderCompleted; offset: string }
  | { type: 'ProductStockChanged'; payload: ProductStockChanged; offset: string }
  | { type: 'CouponIssueSucceeded'; payload: CouponIssueSucceeded; offset: string }
  | { type: 'CouponIssueFailed'; payload: CouponIssueFailed; offset: string };

/** Where a batch came from: one partition's offsets `firstOffset`..`lastOffset`. */
export interface BatchSource {
  consumerGroup: string;
  topic: string;
  partition: number;
  firstOffset: string;
  lastOffset: string;
}

export interface AnalyticsBatch {
  source: BatchSource;
  events: AnalyticsEvent[];
}

interface FactBase {
  eventId: string;
  offset: string;
  occurredAt: Date;
  hour: HourBucket;
}

export interface OrderLineFact {
  lineNo: number;
  productId: string;
  quantity: number;
  unitPrice: number;
  /** quantity × unitPrice, minor units. */
  revenue: number;
}

export interface OrderFact extends FactBase {
  orderId: string;
  userId: string;
  totalAmount: number;
  currency: string;
  lines: OrderLineFact[];
}

export interface StockChangeFact extends FactBase {
  productId: string;
  previousStock: number;
  currentStock: number;
  reason: string;
  orderId: string | null;
}

export interface CouponResultFact extends FactBase {
  requestId: string;
  couponId: string;
  userId: string;
  outcome: 'ISSUED' | 'FAILED';
  reason: string | null;
}

export interface Facts {
  orders: OrderFact[];
  stockChanges: StockChangeFact[];
  couponResults: CouponResultFact[];
}

/** What a sink receives: the batch's facts and where they came from. */
export interface FactBatch {
  source: BatchSource;
  facts: Facts;
}

/** Somewhere a flushed batch goes (the analytics database, an external platform). */
export interface AnalyticsSink {
  readonly name: string;
  /** Durable (or accepted) when it resolves; a batch written twice counts once. */
  write(batch: FactBatch): Promise<void>;
}
