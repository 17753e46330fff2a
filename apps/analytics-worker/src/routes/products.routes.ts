import { errorResponses, type HttpApp } from '@commerce/service';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { topProducts } from '../domain/top-products.ts';
import { jsonOrCsv } from './csv.ts';
import { csvNote, rangeQuery } from './schemas.ts';

export function registerProductRoutes(app: HttpApp, deps: Pick<Deps, 'reports'>): void {
  app.get(
    '/analytics/products/top',
    {
      schema: {
        summary: 'Best-selling products between two instants, by units or revenue',
        description: csvNote,
        querystring: z.strictObject({
          ...rangeQuery,
          by: z.enum(['units', 'revenue']).default('units'),
          limit: z.coerce.number().int().min(1).max(100).default(10),
        }),
        response: {
          200: z.object({
            from: z.string(),
            to: z.string(),
            by: z.enum(['units', 'revenue']),
            items: z.array(
              z.object({
                rank: z.number().int(),
                productId: z.string(),
                units: z.number(),
                revenue: z.number(),
              }),
            ),
          }),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request, reply) => {
      const report = await topProducts(deps, request.query);
      return jsonOrCsv(request, reply, report, () => ({
        columns: ['rank', 'productId', 'units', 'revenue'],
        rows: report.items,
      }));
    },
  );
}
