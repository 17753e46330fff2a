import { errorResponses, type HttpApp } from '@commerce/service';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { couponReport } from '../domain/coupon-report.ts';
import { jsonOrCsv } from './csv.ts';
import { csvNote } from './schemas.ts';

const couponTotals = {
  couponId: z.string(),
  requested: z.number().int(),
  issued: z.number().int(),
  failed: z.number().int(),
  firstResultAt: z.date(),
  lastResultAt: z.date(),
  soldOutAt: z.date().nullable(),
};

export function registerCouponRoutes(app: HttpApp, deps: Pick<Deps, 'reports'>): void {
  app.get(
    '/analytics/coupons',
    {
      schema: {
        summary: 'The coupons with the latest results first (what a rush is doing now)',
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(100).default(10),
        }),
        response: {
          200: z.object({ items: z.array(z.object(couponTotals)) }),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => ({ items: await deps.reports.recentCoupons(request.query.limit) }),
  );
  app.get(
    '/analytics/coupons/:couponId',
    {
      schema: {
        summary: 'A coupon’s results: requested, issued, failed by reason, time to sold out',
        description: csvNote,
        params: z.strictObject({ couponId: z.string().min(1).max(64) }),
        response: {
          200: z.object({
            ...couponTotals,
            failedByReason: z.record(z.string(), z.number().int()),
            timeToSoldOutMs: z.number().int().nullable(),
          }),
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const report = await couponReport(deps, request.params.couponId);
      return jsonOrCsv(request, reply, report, () => ({
        columns: [
          'couponId',
          'requested',
          'issued',
          'failed',
          'reason',
          'count',
          'firstResultAt',
          'lastResultAt',
          'soldOutAt',
          'timeToSoldOutMs',
        ],
        rows: (Object.keys(report.failedByReason).length > 0
          ? Object.entries(report.failedByReason)
          : [[null, null] as const]
        ).map(([reason, count]) => ({
          ...report,
          failedByReason: undefined,
          reason,
          count,
          firstResultAt: report.firstResultAt.toISOString(),
          lastResultAt: report.lastResultAt.toISOString(),
          soldOutAt: report.soldOutAt?.toISOString() ?? null,
        })),
      }));
    },
  );
}
