import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql 16 ships CJS (`main`) and ESM (`module`) without an exports map: Vite picks the ESM
  // file for our sources while Node loads the CJS one for dependencies (Pothos, Yoga), and two
  // copies of graphql refuse each other's types. One copy for all: Node's.
  resolve: { alias: { graphql: 'graphql/index.js' } },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
