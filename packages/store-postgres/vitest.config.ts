import { defineProject, mergeConfig } from "vitest/config"
import shared from "../../vitest.shared.js"

// A real PostgreSQL for the run (embedded, or CHRONICLE_PG_URL's); some tests start processes or servers of their own.
export default mergeConfig(
  shared,
  defineProject({
    test: {
      name: "@chronicle/store-postgres",
      globalSetup: ["../../tools/postgres-server/src/globalSetup.ts"],
      testTimeout: 120_000,
      hookTimeout: 60_000
    }
  })
)
