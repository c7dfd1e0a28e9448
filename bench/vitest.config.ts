import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'bench',
    include: ['smoke.test.ts', 'src/**/*.test.ts'],
    testTimeout: 120_000,
  },
})
