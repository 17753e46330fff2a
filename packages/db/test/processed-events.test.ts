import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { stackAddresses, uniqueName } from '@commerce/testing';
import { PrismaMariaDb } from '@prisma/adapter-mariadb';
import { createConnection } from 'mariadb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDatabaseUrl } from '../src/database-url.ts';
import { migrate } from '../src/migrate.ts';
import { recordProcessedEvent } from '../src/processed-events.ts';
import { PrismaClient } from './fixture/generated/client.ts';

const db = { ...stackAddresses().mysql, database: uniqueName('processed_test') };
let prisma: PrismaClient;

beforeAll(async () => {
  await migrate(db, join(import.meta.dirname, 'fixture', 'migrations'));
  prisma = new PrismaClient({ adapter: new PrismaMariaDb(formatDatabaseUrl(db)) });
});

afterAll(async () => {
  await prisma.$disconnect();
  const conn = await createConnection(stackAddresses().mysql);
  await conn.query(`DROP DATABASE IF EXISTS \`${db.database}\``);
  await conn.end();
});

/** The effect under test: take one unit of stock, once per event. */
async function handle(eventId: string, group = 'test-group') {
  return prisma.$transaction(async (tx) => {
    if (!(await recordProcessedEvent(tx, group, eventId))) return 'duplicate';
    await tx.widget.update({ where: { id: 'w' }, data: { stock: { decrement: 1 } } });
    return 'applied';
  });
}

describe('recordProcessedEvent', () => {
  it('when the same event is delivered five times at once, then its effect happens exactly once', async () => {
    await prisma.widget.upsert({
      where: { id: 'w' },
      create: { id: 'w', name: 'w', stock: 10 },
      update: { stock: 10 },
    });
    const eventId = randomUUID();

    const outcomes = await Promise.all(Array.from({ length: 5 }, () => handle(eventId)));

    expect(outcomes.sort()).toEqual([
      'applied',
      'duplicate',
      'duplicate',
      'duplicate',
      'duplicate',
    ]);
    expect((await prisma.widget.findUniqueOrThrow({ where: { id: 'w' } })).stock).toBe(9);
    const recorded = await prisma.processedEvent.findUniqueOrThrow({
      where: { consumerGroup_eventId: { consumerGroup: 'test-group', eventId } },
    });
    expect(recorded.redeliveries).toBe(4);
  });

  it('when another group sees the same event, then it gets its own effect', async () => {
    const eventId = randomUUID();
    expect([await handle(eventId, 'group-a'), await handle(eventId, 'group-b')]).toEqual([
      'applied',
      'applied',
    ]);
  });

  it('when the effect fails, then the event is not marked processed and a redelivery applies it', async () => {
    const eventId = randomUUID();
    await expect(
      prisma.$transaction(async (tx) => {
        await recordProcessedEvent(tx, 'test-group', eventId);
        throw new Error('effect failed');
      }),
    ).rejects.toThrow('effect failed');
    expect(await handle(eventId)).toBe('applied');
  });

  it('when the event id does not fit, then it fails loudly instead of passing as a duplicate', async () => {
    await expect(handle('x'.repeat(100))).rejects.toThrow();
  });
});
