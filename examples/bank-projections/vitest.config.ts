import { defineProject, mergeConfig } from "vitest/config"
import shared from "../../vitest.shared.js"

// These tests start real processes (through pnpm, tsx and node): give them time on a loaded machine. The read model
// runs on SQLite and on the run's PostgreSQL server.
export default mergeConfig(
  shared,
  defineProject({
    test: {
      name: "@chronicle/example-bank-projections",
      testTimeout: 120_000,
      globalSetup: ["../../tools/postgres-server/src/globalSetup.ts"]
    }
  })
)
