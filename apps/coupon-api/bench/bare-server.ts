// The baseline of the issue benchmark: a bare Fastify 5 app with the body schema of
// POST /coupons/issue (zod through fastify-type-provider-zod) answering 202 at once, in a
// process of its own as coupon-api is. Listens on $PORT.
import { randomUUID } from 'node:crypto';
import { findPackageJSON } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Fastify, { type FastifySchemaCompiler, type FastifySerializerCompiler } from 'fastify';
import { z } from 'zod';
import { externalId } from '../src/routes/schemas.ts';

interface ZodCompilers {
  validatorCompiler: FastifySchemaCompiler<z.ZodType>;
  serializerCompiler: FastifySerializerCompiler<z.ZodType>;
}

// The provider is a dependency of the HTTP shell (@commerce/service), not of this app: load
// the very copy the shell uses, its ESM build, so zod's classes are the same instances.
const manifest = findPackageJSON(
  'fastify-type-provider-zod',
  import.meta.resolve('@commerce/service'),
);
if (!manifest) throw new Error('fastify-type-provider-zod not found next to @commerce/service');
const provider: ZodCompilers = await import(
  pathToFileURL(join(dirname(manifest), 'dist', 'esm', 'index.js')).href
);

const app = Fastify({ logger: false });
app.setValidatorCompiler(provider.validatorCompiler);
app.setSerializerCompiler(provider.serializerCompiler);
app.post(
  '/coupons/issue',
  {
    schema: {
      body: z.object({ couponId: externalId }).strict(),
      response: { 202: z.object({ requestId: z.uuid(), sequence: z.number().int() }) },
    },
  },
  async (_request, reply) => reply.status(202).send({ requestId: randomUUID(), sequence: 1 }),
);

process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
console.log('bare-fastify started');
