import { vitestConfig } from '@commerce/testing/vitest';

// The three-broker failover tests: not part of `turbo run test` while the message loss they
// reproduce is open (docs/design.md, "A known loss under broker failover"): they fail when
// it happens. Run them with `pnpm --filter @commerce/infra test:failover` (10–20 min).
export default vitestConfig({ include: ['test/faults/*.failover.ts'] });
