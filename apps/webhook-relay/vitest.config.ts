import { vitestConfig } from '@commerce/testing/vitest';

export default vitestConfig();
