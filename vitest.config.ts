import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
    setupFiles: ['src/test-setup.ts'],
    // Scenario tests simulate minutes to hours of a lab with real crypto. The timeout is a hang guard, not a
    // performance check (figures live in bench/): on a loaded 2-core machine a long scenario can take ~10 s.
    testTimeout: 60_000,
  },
});
