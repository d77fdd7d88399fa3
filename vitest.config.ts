import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'main', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, 'test/pg/**'] } },
      // One PostgreSQL server for the whole run, started only when a test under test/pg/ is queued.
      { extends: true, test: { name: 'postgres', include: ['test/pg/**/*.test.ts'], globalSetup: ['test/pg/global-setup.ts'] } },
    ],
  },
});
