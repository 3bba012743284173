import { defineProject, mergeConfig } from "vitest/config"
import shared from "../../vitest.shared.js"

// Real HTTP servers on random loopback ports, on SQLite and on a real PostgreSQL (embedded, or CHRONICLE_PG_URL's).
export default mergeConfig(
  shared,
  defineProject({
    test: {
      name: "@chronicle/http",
      globalSetup: ["../../tools/postgres-server/src/globalSetup.ts"],
      testTimeout: 60_000,
      hookTimeout: 60_000
    }
  })
)
