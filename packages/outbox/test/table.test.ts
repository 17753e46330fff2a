import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshDatabase } from '@commerce/db/testing';
import { stackAddresses, uniqueName } from '@commerce/testing';
import { type Connection, createConnection } from 'mariadb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAIM, FENCES } from '../src/claim.ts';
import { outboxTableSql } from '../src/table.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Every migrations folder in the workspace whose SQL creates or alters `outbox_events`. */
async function outboxMigrationDirs(): Promise<string[]> {
  const dirs: string[] = [];
  for (const parent of ['apps', 'packages']) {
    for (const name of await readdir(join(root, parent))) {
      const dir = join(root, parent, name, 'prisma/migrations');
      const migrations = await readdir(dir).catch(() => [] as string[]);
      const sql = await Promise.all(
        migrations.map((m) => readFile(join(dir, m, 'migration.sql'), 'utf8').catch(() => '')),
      );
      if (sql.some((text) => text.includes('outbox_events'))) dirs.push(dir);
    }
  }
  return dirs.sort();
}

/** The table as the server describes it, without the AUTO_INCREMENT counter. */
async function describeTable(conn: Connection, database: string): Promise<string> {
  const [row] = await conn.query(`SHOW CREATE TABLE \`${database}\`.outbox_events`);
  return String(row['Create Table']).replace(/ AUTO_INCREMENT=\d+/, '');
}

const { mysql } = stackAddresses();
let conn: Connection;
const canonical = uniqueName('outbox_canonical');
beforeAll(async () => {
  conn = await createConnection(mysql);
  await conn.query(`CREATE DATABASE \`${canonical}\``);
  await conn.query(`USE \`${canonical}\``);
  await conn.query(outboxTableSql);
});
afterAll(async () => {
  await conn.query(`DROP DATABASE IF EXISTS \`${canonical}\``);
  await conn.end();
});

describe('outboxTableSql is the one definition of outbox_events', () => {
  it('when each database that has an outbox is migrated from scratch, then its table is exactly outboxTableSql', async () => {
    const dirs = await outboxMigrationDirs();
    const expected = await describeTable(conn, canonical);
    const drift: Record<string, string> = {};
    for (const dir of dirs) {
      const db = await freshDatabase(dir, 'outbox_drift');
      try {
        drift[relative(root, dir)] = await describeTable(conn, db.name);
      } finally {
        await db.drop();
      }
    }

    // The services that publish events: a new one is found here by its migrations.
    expect(Object.keys(drift)).toEqual([
      'apps/order-api/prisma/migrations',
      'apps/webhook-relay/prisma/migrations',
      'packages/coupon-db/prisma/migrations',
    ]);
    for (const table of Object.values(drift)) expect(table).toBe(expected);
  });
});

describe('the relay reads through the indexes of outboxTableSql', () => {
  it('when the table holds many published rows and a backlog, then the claim and the fence query use them, not the primary key', async () => {
    // Published rows first (the retention keeps them), then the backlog, one key waiting.
    await conn.query(
      `INSERT INTO outbox_events (event_id, event_type, topic, message_key, payload, correlation_id, published_at)
       SELECT UUID(), 'T', 't', CONCAT('user-', seq % 100), '{}', 'c', IF(seq <= 20000, NOW(3), NULL)
         FROM seq_1_to_22000`,
    );
    await conn.query(
      "UPDATE outbox_events SET next_attempt_at = NOW(3) + INTERVAL 1 HOUR WHERE published_at IS NULL AND message_key = 'user-7'",
    );
    await conn.query('ANALYZE TABLE outbox_events');
    const [{ last }] = await conn.query('SELECT MAX(id) AS last FROM outbox_events');
    const plan = async (sql: string, params: unknown[]) =>
      ((await conn.query(`EXPLAIN ${sql}`, params)) as { table: string; key: string }[]).map(
        (step) => `${step.table}:${step.key}`,
      );

    expect(await plan(CLAIM, [500])).toEqual([
      'o:outbox_events_pending',
      'w:outbox_events_waiting',
    ]);
    expect(await plan(FENCES, [['user-1', 'user-2'], last, [1n]])).toEqual([
      'outbox_events:outbox_events_pending',
    ]);
  });
});
