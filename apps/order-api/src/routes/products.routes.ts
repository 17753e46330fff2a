import { timingSafeEqual } from 'node:crypto';
import { DomainError, type HttpApp } from '@commerce/service';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { createProduct, getProduct, listProducts } from '../domain/products.ts';
import { errors, minorUnits, product } from './schemas.ts';

const newProduct = z.strictObject({
  name: z.string().trim().min(1).max(200),
  price: minorUnits,
  // Avro int carries stock in ProductStockChanged: at most 2^31 - 1.
  stock: z.number().int().min(0).max(2_147_483_647),
});

function isOperator(given: string | undefined, expected: string): boolean {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function registerProductRoutes(app: HttpApp, deps: Deps): void {
  app.post(
    '/products',
    {
      schema: {
        summary: 'Add a product (operators: X-Api-Key)',
        headers: z.looseObject({ 'x-api-key': z.string().optional() }),
        body: newProduct,
        response: { 201: product, ...errors(400, 401) },
      },
    },
    async (request, reply) => {
      if (!isOperator(request.headers['x-api-key'], deps.config.OPERATOR_API_KEY))
        throw new DomainError('OPERATOR_KEY_REQUIRED', 'send the operator key in X-Api-Key');
      return reply.status(201).send(await createProduct(deps, request.body));
    },
  );

  app.get(
    '/products',
    {
      schema: {
        summary: 'List products, in pages',
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(100).default(20),
          after: z.uuid().optional(),
        }),
        response: {
          200: z.object({ items: z.array(product), next: z.uuid().nullable() }),
          ...errors(400),
        },
      },
    },
    async (request) => listProducts(deps, request.query),
  );

  app.get(
    '/products/:productId',
    {
      schema: {
        summary: 'A product with its price and stock',
        params: z.object({ productId: z.uuid() }),
        response: { 200: product, ...errors(400, 404) },
      },
    },
    async (request) => getProduct(deps, request.params.productId),
  );
}
