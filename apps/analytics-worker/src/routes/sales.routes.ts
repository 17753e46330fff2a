import { errorResponses, type HttpApp } from '@commerce/service';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { salesReport } from '../domain/sales-report.ts';
import { jsonOrCsv } from './csv.ts';
import { csvNote, rangeQuery } from './schemas.ts';

const head = {
  timeZone: z.string(),
  granularity: z.enum(['hour', 'day']),
  from: z.string(),
  to: z.string(),
};

export function registerSalesRoutes(app: HttpApp, deps: Pick<Deps, 'reports' | 'config'>): void {
  app.get(
    '/analytics/sales',
    {
      schema: {
        summary:
          'Orders, revenue and distinct buyers per hour or local day; or one product’s units and revenue',
        description: `Buckets are hours (UTC start) or days of ANALYTICS_TIME_ZONE; revenue in minor units. ${csvNote}`,
        querystring: z.strictObject({
          ...rangeQuery,
          granularity: z.enum(['hour', 'day']).default('hour'),
          productId: z.string().min(1).max(64).optional(),
        }),
        response: {
          200: z.union([
            z.object({
              ...head,
              productId: z.null(),
              buckets: z.array(
                z.object({
                  bucket: z.string(),
                  orders: z.number(),
                  revenue: z.number(),
                  buyers: z.number(),
                }),
              ),
            }),
            z.object({
              ...head,
              productId: z.string(),
              buckets: z.array(
                z.object({ bucket: z.string(), units: z.number(), revenue: z.number() }),
              ),
            }),
          ]),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request, reply) => {
      const report = await salesReport(
        { reports: deps.reports, timeZone: deps.config.ANALYTICS_TIME_ZONE },
        request.query,
      );
      return jsonOrCsv(request, reply, report, () => ({
        columns:
          report.productId === null
            ? ['bucket', 'orders', 'revenue', 'buyers']
            : ['bucket', 'productId', 'units', 'revenue'],
        rows: report.buckets.map((b) => ({ ...b, productId: report.productId })),
      }));
    },
  );
}
