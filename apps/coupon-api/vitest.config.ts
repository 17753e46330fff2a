import { vitestConfig } from '@commerce/testing/vitest';

// The end-to-end files each run a broker and several service processes: one file at a
// time keeps two cores from starving them into timeouts.
export default vitestConfig({ fileParallelism: false });
