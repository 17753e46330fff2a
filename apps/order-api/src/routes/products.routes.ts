import {
  anyoneErrors,
  errorResponses,
  type HttpApp,
  operatorSecurity,
  type PublicAccess,
  requireOperatorKey,
} from '@commerce/service';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { createProduct, getProduct, listProducts } from '../domain/products.ts';
import { minorUnits, product } from './schemas.ts';

const newProduct = z.strictObject({
  name: z.string().trim().min(1).max(200),
  price: minorUnits,
  // Avro int carries stock in ProductStockChanged: at most 2^31 - 1.
  stock: z.number().int().min(0).max(2_147_483_647),
});

export function registerProductRoutes(app: HttpApp, deps: Deps, access: PublicAccess): void {
  app.post(
    '/products',
    {
      onRequest: requireOperatorKey(deps.config.OPERATOR_API_KEY),
      schema: {
        summary: 'Add a product (operators: X-Api-Key)',
        security: operatorSecurity.security,
        headers: z.looseObject({ 'x-api-key': z.string().optional() }),
        body: newProduct,
        response: { 201: product, ...operatorSecurity.errors, ...errorResponses(400) },
      },
    },
    async (request, reply) => reply.status(201).send(await createProduct(deps, request.body)),
  );

  app.get(
    '/products',
    {
      onRequest: access.anyone,
      schema: {
        summary: 'List products, in pages',
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(100).default(20),
          after: z.uuid().optional(),
        }),
        response: {
          200: z.object({ items: z.array(product), next: z.uuid().nullable() }),
          ...anyoneErrors,
          ...errorResponses(400),
        },
      },
    },
    async (request) => listProducts(deps, request.query),
  );

  app.get(
    '/products/:productId',
    {
      onRequest: access.anyone,
      schema: {
        summary: 'A product with its price and stock',
        params: z.object({ productId: z.uuid() }),
        response: { 200: product, ...anyoneErrors, ...errorResponses(400, 404) },
      },
    },
    async (request) => getProduct(deps, request.params.productId),
  );
}
