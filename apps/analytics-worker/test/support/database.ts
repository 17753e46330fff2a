import { freshDatabase } from '@commerce/db/testing';
import type { StackAddresses } from '@commerce/testing';
import { analyticsMigrationsDir } from '../../src/data-access/analytics-db.ts';

/**
 * An analytics database of this test's own, migrated from nothing, on the stack's server or
 * on `server` (a fault test's own); drop() removes it.
 */
export function migratedDatabase(server?: StackAddresses['mysql']) {
  return freshDatabase(analyticsMigrationsDir, 'analytics', server);
}
