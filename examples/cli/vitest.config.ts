import { defineProject, mergeConfig } from "vitest/config"
import shared from "../../vitest.shared.js"

// These tests start real processes (through pnpm, tsx and node): give them time on a loaded machine. The README's
// PostgreSQL commands run on the run's PostgreSQL server.
export default mergeConfig(
  shared,
  defineProject({
    test: {
      name: "@chronicle/example-cli",
      // The README's commands run at once: the slowest (a 10,000-event rebuild on PostgreSQL) needs minutes then.
      testTimeout: 300_000,
      globalSetup: ["../../tools/postgres-server/src/globalSetup.ts"]
    }
  })
)
