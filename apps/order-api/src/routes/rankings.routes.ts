import { anyoneErrors, errorResponses, type HttpApp, type PublicAccess } from '@commerce/service';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { topProducts } from '../domain/top-products.ts';

export function registerRankingRoutes(app: HttpApp, deps: Deps, access: PublicAccess): void {
  app.get(
    '/products/rankings',
    {
      onRequest: access.anyone,
      schema: {
        summary: 'Best-selling products by units over the last 1, 3 or 7 days (today included)',
        querystring: z.strictObject({
          days: z.enum(['1', '3', '7']).default('1').transform(Number),
          limit: z.coerce.number().int().min(1).max(100).default(10),
        }),
        response: {
          200: z.object({
            days: z.number().int(),
            timeZone: z.string(),
            from: z.iso.date(),
            to: z.iso.date(),
            items: z.array(
              z.object({
                rank: z.number().int(),
                productId: z.string(),
                name: z.string().nullable(),
                quantity: z.number().int(),
              }),
            ),
          }),
          ...anyoneErrors,
          ...errorResponses(400),
        },
      },
    },
    async (request) =>
      topProducts(
        {
          rankings: deps.rankings,
          products: deps.products,
          timeZone: deps.config.RANKING_TIME_ZONE,
          now: deps.now,
        },
        request.query,
      ),
  );
}
