import { defineProject, mergeConfig } from "vitest/config"
import shared from "../../vitest.shared.js"

// The bin's tests start real processes: give them time on a loaded machine. The bin is bundled once for them; the
// PostgreSQL legs run on the run's server (embedded, or CHRONICLE_PG_URL's), a database per store.
export default mergeConfig(
  shared,
  defineProject({
    test: {
      name: "@chronicle/cli",
      testTimeout: 120_000,
      hookTimeout: 60_000,
      globalSetup: ["test/fixtures/globalSetup.ts", "../../tools/postgres-server/src/globalSetup.ts"]
    }
  })
)
