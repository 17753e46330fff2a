// Generated from schemas/*.avsc by scripts/generate.ts. Do not edit: change the schema and regenerate.

/** Why a coupon was not issued. Business rejections, not errors. */
export type CouponIssueFailureReason = 'OUT_OF_STOCK' | 'ALREADY_ISSUED' | 'EXPIRED' | 'NOT_STARTED' | 'COUPON_NOT_FOUND';
export const couponIssueFailureReasonValues = ['OUT_OF_STOCK', 'ALREADY_ISSUED', 'EXPIRED', 'NOT_STARTED', 'COUPON_NOT_FOUND'] as const;

/** A coupon request was rejected; the reason says why. */
export interface CouponIssueFailed {
  /** Unique id of this event; consumers deduplicate on it. */
  eventId: string;
  /** When the fact happened, in milliseconds since the Unix epoch (UTC). */
  occurredAt: number;
  /** The id coupon-api returned with 202; the shopper polls and listens on it. */
  requestId: string;
  /** The shopper asking for the coupon; the message key. */
  userId: string;
  /** The coupon asked for. */
  couponId: string;
  /** Place of the request in the coupon's admission queue (1 = first admitted); first come, first served follows it across partitions. */
  sequence: number;
  /** Why the coupon was not issued. */
  reason: CouponIssueFailureReason;
}

/** A shopper's request for a coupon was admitted and waits for coupon-worker. */
export interface CouponIssueRequested {
  /** Unique id of this event; consumers deduplicate on it. */
  eventId: string;
  /** When the fact happened, in milliseconds since the Unix epoch (UTC). */
  occurredAt: number;
  /** The id coupon-api returned with 202; the shopper polls and listens on it. */
  requestId: string;
  /** The shopper asking for the coupon; the message key. */
  userId: string;
  /** The coupon asked for. */
  couponId: string;
  /** Place of the request in the coupon's admission queue (1 = first admitted); first come, first served follows it across partitions. */
  sequence: number;
}

/** A coupon was issued to the shopper who requested it. */
export interface CouponIssueSucceeded {
  /** Unique id of this event; consumers deduplicate on it. */
  eventId: string;
  /** When the fact happened, in milliseconds since the Unix epoch (UTC). */
  occurredAt: number;
  /** The id coupon-api returned with 202; the shopper polls and listens on it. */
  requestId: string;
  /** The shopper asking for the coupon; the message key. */
  userId: string;
  /** The coupon asked for. */
  couponId: string;
  /** Place of the request in the coupon's admission queue (1 = first admitted); first come, first served follows it across partitions. */
  sequence: number;
  /** Id of the coupon now owned by the user. */
  userCouponId: string;
}

/** For external systems: a user received a coupon. */
export interface CouponIssued {
  /** Unique id of this event; consumers deduplicate on it. */
  eventId: string;
  /** When the fact happened, in milliseconds since the Unix epoch (UTC). */
  occurredAt: number;
  /** Id of the coupon now owned by the user; the message key. */
  userCouponId: string;
  /** The coupon issued. */
  couponId: string;
  /** The user who received it. */
  userId: string;
  /** The request that led to the issue. */
  requestId: string;
}

/** One product line of an order. */
export interface OrderLine {
  /** The product sold. */
  productId: string;
  /** How many units were sold; at least 1. */
  quantity: number;
  /** Price of one unit when the order was placed. In minor units of the currency (e.g. won, cents). */
  unitPrice: number;
}

/** An order was paid and is complete. */
export interface OrderCompleted {
  /** Unique id of this event; consumers deduplicate on it. */
  eventId: string;
  /** When the fact happened, in milliseconds since the Unix epoch (UTC). */
  occurredAt: number;
  /** The order. */
  orderId: string;
  /** The buyer; the message key. */
  userId: string;
  /** The order's lines, at least one. */
  items: OrderLine[];
  /** Sum of quantity x unit price over all lines. In minor units of the currency (e.g. won, cents). */
  totalAmount: number;
  /** ISO 4217 code of every amount in this event, e.g. KRW. */
  currency: string;
  /** The payment that completed the order. */
  paymentId: string;
  /** When the payment committed, in milliseconds since the Unix epoch (UTC). */
  completedAt: number;
}

/** How the order was paid. */
export type PaymentMethod = 'CARD' | 'BANK_TRANSFER' | 'WALLET';
export const paymentMethodValues = ['CARD', 'BANK_TRANSFER', 'WALLET'] as const;

/** For external systems: a payment for an order succeeded. */
export interface PaymentCompleted {
  /** Unique id of this event; consumers deduplicate on it. */
  eventId: string;
  /** When the fact happened, in milliseconds since the Unix epoch (UTC). */
  occurredAt: number;
  /** The payment. */
  paymentId: string;
  /** The order paid; the message key. */
  orderId: string;
  /** The payer. */
  userId: string;
  /** Amount paid. In minor units of the currency (e.g. won, cents). */
  amount: number;
  /** ISO 4217 code of the amount, e.g. KRW. */
  currency: string;
  /** How the order was paid. */
  method: PaymentMethod;
}

/** What changed the stock. */
export type StockChangeReason = 'ORDER_PAID' | 'RESTOCKED' | 'ADJUSTED';
export const stockChangeReasonValues = ['ORDER_PAID', 'RESTOCKED', 'ADJUSTED'] as const;

/** A product's stock changed. */
export interface ProductStockChanged {
  /** Unique id of this event; consumers deduplicate on it. */
  eventId: string;
  /** When the fact happened, in milliseconds since the Unix epoch (UTC). */
  occurredAt: number;
  /** The product; the message key. */
  productId: string;
  /** Units in stock before the change. */
  previousStock: number;
  /** Units in stock after the change; never below zero. */
  currentStock: number;
  /** What changed the stock. */
  reason: StockChangeReason;
  /** The order that sold the units, when reason is ORDER_PAID. */
  orderId: null | string;
}

/** One POST of the delivery. */
export interface WebhookAttempt {
  /** 1 for the first POST. */
  attemptNo: number;
  /** When the POST started (ms since the Unix epoch, UTC). */
  startedAt: number;
  /** The HTTP status, if a response came. */
  statusCode: null | number;
  /** How long the attempt took, in milliseconds. */
  latencyMs: number;
  /** Why it failed, when it did. */
  error: null | string;
}

/** webhook-relay gave up on a delivery: the original event, the endpoint and every attempt, for operators and a later replay. */
export interface WebhookDeliveryDeadLettered {
  /** Unique id of this envelope; consumers deduplicate on it. */
  eventId: string;
  /** When the delivery was dead-lettered, in milliseconds since the Unix epoch (UTC). */
  occurredAt: number;
  /** The delivery (its webhook-id); a replay through the operator API keeps it. */
  deliveryId: string;
  /** The endpoint that never accepted it; the message key. */
  endpointId: string;
  /** The endpoint's URL at the time. */
  endpointUrl: string;
  /** Type of the event that was to be delivered, e.g. PaymentCompleted. */
  originalEventType: string;
  /** Event id of the event that was to be delivered. */
  originalEventId: string;
  /** The webhook body as it was POSTed (JSON: type, id, timestamp, data). */
  originalEvent: string;
  /** Every attempt, in order. */
  attempts: WebhookAttempt[];
}

export const eventTypes = ['CouponIssueFailed', 'CouponIssueRequested', 'CouponIssueSucceeded', 'CouponIssued', 'OrderCompleted', 'PaymentCompleted', 'ProductStockChanged', 'WebhookDeliveryDeadLettered'] as const;

export type EventType = (typeof eventTypes)[number];

export interface EventPayloads {
  CouponIssueFailed: CouponIssueFailed;
  CouponIssueRequested: CouponIssueRequested;
  CouponIssueSucceeded: CouponIssueSucceeded;
  CouponIssued: CouponIssued;
  OrderCompleted: OrderCompleted;
  PaymentCompleted: PaymentCompleted;
  ProductStockChanged: ProductStockChanged;
  WebhookDeliveryDeadLettered: WebhookDeliveryDeadLettered;
}

/** The Avro schema of each event, as in schemas/<EventType>.avsc. */
export const eventSchemas: Record<EventType, object> = {
  "CouponIssueFailed": {
    "type": "record",
    "name": "CouponIssueFailed",
    "namespace": "commerce.events.coupon",
    "doc": "A coupon request was rejected; the reason says why.",
    "fields": [
      {
        "name": "eventId",
        "type": {
          "type": "string",
          "logicalType": "uuid"
        },
        "doc": "Unique id of this event; consumers deduplicate on it."
      },
      {
        "name": "occurredAt",
        "type": {
          "type": "long",
          "logicalType": "timestamp-millis"
        },
        "doc": "When the fact happened, in milliseconds since the Unix epoch (UTC)."
      },
      {
        "name": "requestId",
        "type": {
          "type": "string",
          "logicalType": "uuid"
        },
        "doc": "The id coupon-api returned with 202; the shopper polls and listens on it."
      },
      {
        "name": "userId",
        "type": "string",
        "doc": "The shopper asking for the coupon; the message key."
      },
      {
        "name": "couponId",
        "type": "string",
        "doc": "The coupon asked for."
      },
      {
        "name": "sequence",
        "type": "long",
        "doc": "Place of the request in the coupon's admission queue (1 = first admitted); first come, first served follows it across partitions."
      },
      {
        "name": "reason",
        "type": {
          "type": "enum",
          "name": "CouponIssueFailureReason",
          "namespace": "commerce.events.coupon",
          "doc": "Why a coupon was not issued. Business rejections, not errors.",
          "symbols": [
            "OUT_OF_STOCK",
            "ALREADY_ISSUED",
            "EXPIRED",
            "NOT_STARTED",
            "COUPON_NOT_FOUND"
          ]
        },
        "doc": "Why the coupon was not issued."
      }
    ]
  },
  "CouponIssueRequested": {
    "type": "record",
    "name": "CouponIssueRequested",
    "namespace": "commerce.events.coupon",
    "doc": "A shopper's request for a coupon was admitted and waits for coupon-worker.",
    "fields": [
      {
        "name": "eventId",
        "type": {
          "type": "string",
          "logicalType": "uuid"
        },
        "doc": "Unique id of this event; consumers deduplicate on it."
      },
      {
        "name": "occurredAt",
        "type": {
          "type": "long",
          "logicalType": "timestamp-millis"
        },
        "doc": "When the fact happened, in milliseconds since the Unix epoch (UTC)."
      },
      {
        "name": "requestId",
        "type": {
          "type": "string",
          "logicalType": "uuid"
        },
        "doc": "The id coupon-api returned with 202; the shopper polls and listens on it."
      },
      {
        "name": "userId",
        "type": "string",
        "doc": "The shopper asking for the coupon; the message key."
      },
      {
        "name": "couponId",
        "type": "string",
        "doc": "The coupon asked for."
      },
      {
        "name": "sequence",
        "type": "long",
        "doc": "Place of the request in the coupon's admission queue (1 = first admitted); first come, first served follows it across partitions."
      }
    ]
  },
  "CouponIssueSucceeded": {
    "type": "record",
    "name": "CouponIssueSucceeded",
    "namespace": "commerce.events.coupon",
    "doc": "A coupon was issued to the shopper who requested it.",
    "fields": [
      {
        "name": "eventId",
        "type": {
          "type": "string",
          "logicalType": "uuid"
        },
        "doc": "Unique id of this event; consumers deduplicate on it."
      },
      {
        "name": "occurredAt",
        "type": {
          "type": "long",
          "logicalType": "timestamp-millis"
        },
        "doc": "When the fact happened, in milliseconds since the Unix epoch (UTC)."
      },
      {
        "name": "requestId",
        "type": {
          "type": "string",
          "logicalType": "uuid"
        },
        "doc": "The id coupon-api returned with 202; the shopper polls and listens on it."
      },
      {
        "name": "userId",
        "type": "string",
        "doc": "The shopper asking for the coupon; the message key."
      },
      {
        "name": "couponId",
        "type": "string",
        "doc": "The coupon asked for."
      },
      {
        "name": "sequence",
        "type": "long",
        "doc": "Place of the request in the coupon's admission queue (1 = first admitted); first come, first served follows it across partitions."
      },
      {
        "name": "userCouponId",
        "type": "string",
        "doc": "Id of the coupon now owned by the user."
      }
    ]
  },
  "CouponIssued": {
    "type": "record",
    "name": "CouponIssued",
    "namespace": "commerce.events.external",
    "doc": "For external systems: a user received a coupon.",
    "fields": [
      {
        "name": "eventId",
        "type": {
          "type": "string",
          "logicalType": "uuid"
        },
        "doc": "Unique id of this event; consumers deduplicate on it."
      },
      {
        "name": "occurredAt",
        "type": {
          "type": "long",
          "logicalType": "timestamp-millis"
        },
        "doc": "When the fact happened, in milliseconds since the Unix epoch (UTC)."
      },
      {
        "name": "userCouponId",
        "type": "string",
        "doc": "Id of the coupon now owned by the user; the message key."
      },
      {
        "name": "couponId",
        "type": "string",
        "doc": "The coupon issued."
      },
      {
        "name": "userId",
        "type": "string",
        "doc": "The user who received it."
      },
      {
        "name": "requestId",
        "type": {
          "type": "string",
          "logicalType": "uuid"
        },
        "doc": "The request that led to the issue."
      }
    ]
  },
  "OrderCompleted": {
    "type": "record",
    "name": "OrderCompleted",
    "namespace": "commerce.events.order",
    "doc": "An order was paid and is complete.",
    "fields": [
      {
        "name": "eventId",
        "type": {
          "type": "string",
          "logicalType": "uuid"
        },
        "doc": "Unique id of this event; consumers deduplicate on it."
      },
      {
        "name": "occurredAt",
        "type": {
          "type": "long",
          "logicalType": "timestamp-millis"
        },
        "doc": "When the fact happened, in milliseconds since the Unix epoch (UTC)."
      },
      {
        "name": "orderId",
        "type": "string",
        "doc": "The order."
      },
      {
        "name": "userId",
        "type": "string",
        "doc": "The buyer; the message key."
      },
      {
        "name": "items",
        "type": {
          "type": "array",
          "items": {
            "type": "record",
            "name": "OrderLine",
            "namespace": "commerce.events.order",
            "doc": "One product line of an order.",
            "fields": [
              {
                "name": "productId",
                "type": "string",
                "doc": "The product sold."
              },
              {
                "name": "quantity",
                "type": "int",
                "doc": "How many units were sold; at least 1."
              },
              {
                "name": "unitPrice",
                "type": "long",
                "doc": "Price of one unit when the order was placed. In minor units of the currency (e.g. won, cents)."
              }
            ]
          }
        },
        "doc": "The order's lines, at least one."
      },
      {
        "name": "totalAmount",
        "type": "long",
        "doc": "Sum of quantity x unit price over all lines. In minor units of the currency (e.g. won, cents)."
      },
      {
        "name": "currency",
        "type": "string",
        "doc": "ISO 4217 code of every amount in this event, e.g. KRW."
      },
      {
        "name": "paymentId",
        "type": "string",
        "doc": "The payment that completed the order."
      },
      {
        "name": "completedAt",
        "type": {
          "type": "long",
          "logicalType": "timestamp-millis"
        },
        "doc": "When the payment committed, in milliseconds since the Unix epoch (UTC)."
      }
    ]
  },
  "PaymentCompleted": {
    "type": "record",
    "name": "PaymentCompleted",
    "namespace": "commerce.events.external",
    "doc": "For external systems: a payment for an order succeeded.",
    "fields": [
      {
        "name": "eventId",
        "type": {
          "type": "string",
          "logicalType": "uuid"
        },
        "doc": "Unique id of this event; consumers deduplicate on it."
      },
      {
        "name": "occurredAt",
        "type": {
          "type": "long",
          "logicalType": "timestamp-millis"
        },
        "doc": "When the fact happened, in milliseconds since the Unix epoch (UTC)."
      },
      {
        "name": "paymentId",
        "type": "string",
        "doc": "The payment."
      },
      {
        "name": "orderId",
        "type": "string",
        "doc": "The order paid; the message key."
      },
      {
        "name": "userId",
        "type": "string",
        "doc": "The payer."
      },
      {
        "name": "amount",
        "type": "long",
        "doc": "Amount paid. In minor units of the currency (e.g. won, cents)."
      },
      {
        "name": "currency",
        "type": "string",
        "doc": "ISO 4217 code of the amount, e.g. KRW."
      },
      {
        "name": "method",
        "type": {
          "type": "enum",
          "name": "PaymentMethod",
          "namespace": "commerce.events.external",
          "doc": "How the order was paid.",
          "symbols": [
            "CARD",
            "BANK_TRANSFER",
            "WALLET"
          ]
        },
        "doc": "How the order was paid."
      }
    ]
  },
  "ProductStockChanged": {
    "type": "record",
    "name": "ProductStockChanged",
    "namespace": "commerce.events.product",
    "doc": "A product's stock changed.",
    "fields": [
      {
        "name": "eventId",
        "type": {
          "type": "string",
          "logicalType": "uuid"
        },
        "doc": "Unique id of this event; consumers deduplicate on it."
      },
      {
        "name": "occurredAt",
        "type": {
          "type": "long",
          "logicalType": "timestamp-millis"
        },
        "doc": "When the fact happened, in milliseconds since the Unix epoch (UTC)."
      },
      {
        "name": "productId",
        "type": "string",
        "doc": "The product; the message key."
      },
      {
        "name": "previousStock",
        "type": "int",
        "doc": "Units in stock before the change."
      },
      {
        "name": "currentStock",
        "type": "int",
        "doc": "Units in stock after the change; never below zero."
      },
      {
        "name": "reason",
        "type": {
          "type": "enum",
          "name": "StockChangeReason",
          "namespace": "commerce.events.product",
          "doc": "What changed the stock.",
          "symbols": [
            "ORDER_PAID",
            "RESTOCKED",
            "ADJUSTED"
          ]
        },
        "doc": "What changed the stock."
      },
      {
        "name": "orderId",
        "type": [
          "null",
          "string"
        ],
        "doc": "The order that sold the units, when reason is ORDER_PAID.",
        "default": null
      }
    ]
  },
  "WebhookDeliveryDeadLettered": {
    "type": "record",
    "name": "WebhookDeliveryDeadLettered",
    "namespace": "commerce.events.webhooks",
    "doc": "webhook-relay gave up on a delivery: the original event, the endpoint and every attempt, for operators and a later replay.",
    "fields": [
      {
        "name": "eventId",
        "type": {
          "type": "string",
          "logicalType": "uuid"
        },
        "doc": "Unique id of this envelope; consumers deduplicate on it."
      },
      {
        "name": "occurredAt",
        "type": {
          "type": "long",
          "logicalType": "timestamp-millis"
        },
        "doc": "When the delivery was dead-lettered, in milliseconds since the Unix epoch (UTC)."
      },
      {
        "name": "deliveryId",
        "type": {
          "type": "string",
          "logicalType": "uuid"
        },
        "doc": "The delivery (its webhook-id); a replay through the operator API keeps it."
      },
      {
        "name": "endpointId",
        "type": {
          "type": "string",
          "logicalType": "uuid"
        },
        "doc": "The endpoint that never accepted it; the message key."
      },
      {
        "name": "endpointUrl",
        "type": "string",
        "doc": "The endpoint's URL at the time."
      },
      {
        "name": "originalEventType",
        "type": "string",
        "doc": "Type of the event that was to be delivered, e.g. PaymentCompleted."
      },
      {
        "name": "originalEventId",
        "type": {
          "type": "string",
          "logicalType": "uuid"
        },
        "doc": "Event id of the event that was to be delivered."
      },
      {
        "name": "originalEvent",
        "type": "string",
        "doc": "The webhook body as it was POSTed (JSON: type, id, timestamp, data)."
      },
      {
        "name": "attempts",
        "type": {
          "type": "array",
          "items": {
            "type": "record",
            "name": "WebhookAttempt",
            "namespace": "commerce.events.webhooks",
            "doc": "One POST of the delivery.",
            "fields": [
              {
                "name": "attemptNo",
                "type": "int",
                "doc": "1 for the first POST."
              },
              {
                "name": "startedAt",
                "type": {
                  "type": "long",
                  "logicalType": "timestamp-millis"
                },
                "doc": "When the POST started (ms since the Unix epoch, UTC)."
              },
              {
                "name": "statusCode",
                "type": [
                  "null",
                  "int"
                ],
                "default": null,
                "doc": "The HTTP status, if a response came."
              },
              {
                "name": "latencyMs",
                "type": "int",
                "doc": "How long the attempt took, in milliseconds."
              },
              {
                "name": "error",
                "type": [
                  "null",
                  "string"
                ],
                "default": null,
                "doc": "Why it failed, when it did."
              }
            ]
          }
        },
        "doc": "Every attempt, in order."
      }
    ]
  }
};
