import type { FastifyInstance } from 'fastify';

/**
 * The methods each registered path answers, so a request the router did not match can be
 * told apart: a known path with another method is 405 with `Allow`, an unknown path 404.
 * Fastify's router matches per method and says only "not found". A path that several
 * routes match gets the methods of the most specific ones (fewest parameters), as OpenAPI
 * matches a concrete path before a templated one: `/coupons/issue` allows POST, not the GET
 * of `/coupons/{couponId}`, so `Allow` says what the document says of that path.
 */
export function trackAllowedMethods(app: FastifyInstance): (url: string) => string[] {
  const routes: { pattern: RegExp; params: number; methods: Set<string> }[] = [];
  app.addHook('onRoute', (route) => {
    const url = route.url ?? route.path;
    const pattern = patternOf(url);
    const methods = [route.method].flat();
    const known = routes.find((r) => r.pattern.source === pattern.source);
    if (known) for (const method of methods) known.methods.add(method);
    else routes.push({ pattern, params: url.split(/[:*]/).length - 1, methods: new Set(methods) });
  });
  return (url) => {
    const path = url.split('?')[0] ?? '';
    const matching = routes.filter((route) => route.pattern.test(path));
    const fewest = Math.min(...matching.map((route) => route.params));
    const allowed = new Set<string>();
    for (const route of matching)
      if (route.params === fewest) for (const method of route.methods) allowed.add(method);
    return [...allowed].sort();
  };
}

/** `/coupons/:couponId` → /^\/coupons\/[^/]+$/: a parameter is one whole path segment. */
function patternOf(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) => {
      if (segment === '*') return '.*';
      if (segment.startsWith(':')) return '[^/]+';
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${source}$`);
}
