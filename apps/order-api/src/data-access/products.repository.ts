import type { Product } from '../domain/model.ts';
import type { ProductRepository } from '../domain/products.ts';
import type { ProductNames } from '../domain/top-products.ts';
import type { PrismaClient } from './order-db.ts';

type ProductRow = Omit<Product, 'price'> & { price: bigint };

const toProduct = (row: ProductRow): Product => ({ ...row, price: Number(row.price) });

export function createProductRepository(prisma: PrismaClient): ProductRepository & ProductNames {
  return {
    async insert(product) {
      await prisma.product.create({ data: { ...product, price: BigInt(product.price) } });
    },
    async find(productId) {
      const row = await prisma.product.findUnique({ where: { id: productId } });
      return row ? toProduct(row) : null;
    },
    async list(limit, after) {
      const rows = await prisma.product.findMany({
        where: after === undefined ? {} : { id: { gt: after } },
        orderBy: { id: 'asc' },
        take: limit,
      });
      return rows.map(toProduct);
    },
    async names(productIds) {
      if (productIds.length === 0) return new Map();
      const rows = await prisma.product.findMany({
        where: { id: { in: [...productIds] } },
        select: { id: true, name: true },
      });
      return new Map(rows.map((row) => [row.id, row.name]));
    },
  };
}
