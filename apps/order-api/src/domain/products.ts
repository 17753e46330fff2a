import { randomUUID } from 'node:crypto';
import { DomainError } from '@commerce/service';
import { type Product, type ProductView, toProductView } from './model.ts';

export interface ProductRepository {
  insert(product: Product): Promise<void>;
  find(productId: string): Promise<Product | null>;
  /** Up to `limit` products in id order, starting after `after`. */
  list(limit: number, after?: string): Promise<Product[]>;
}

export interface NewProduct {
  name: string;
  price: number;
  stock: number;
}

/** An operator adds a product to the catalogue with its price and initial stock. */
export async function createProduct(
  deps: { products: ProductRepository; now: () => Date },
  input: NewProduct,
): Promise<ProductView> {
  const now = deps.now();
  const product: Product = { id: randomUUID(), ...input, createdAt: now, updatedAt: now };
  await deps.products.insert(product);
  return toProductView(product);
}

export async function getProduct(
  deps: { products: ProductRepository },
  productId: string,
): Promise<ProductView> {
  const product = await deps.products.find(productId);
  if (!product) throw new DomainError('PRODUCT_NOT_FOUND', `product ${productId} does not exist`);
  return toProductView(product);
}

/** A page of the catalogue; `next` is the cursor of the following page, null on the last. */
export async function listProducts(
  deps: { products: ProductRepository },
  page: { limit: number; after?: string },
): Promise<{ items: ProductView[]; next: string | null }> {
  // One more than asked tells whether another page exists without counting.
  const rows = await deps.products.list(page.limit + 1, page.after);
  const items = rows.slice(0, page.limit).map(toProductView);
  return { items, next: rows.length > page.limit ? (items.at(-1)?.id ?? null) : null };
}
