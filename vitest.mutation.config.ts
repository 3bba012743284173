import { defineConfig } from "vitest/config"

// The tests `pnpm test:mutation` runs against each mutant: the kernel's packages and the tests of the SQLite store and
// the bin that run in this process (a child process would run the code without the mutant, so those are left out).
const sqliteInProcess = [
  "SqliteEventStore.test.ts",
  "SqliteEventStoreRows.test.ts",
  "SqliteEventStoreSynchronous.test.ts",
  "SqliteHandlerLaws.test.ts",
  "SqliteProjections.test.ts",
  "SqliteSchema.test.ts",
  "SqliteStoreAdmin.test.ts"
]

export default defineConfig({
  test: {
    projects: [
      "packages/core/vitest.config.ts",
      "packages/store-memory/vitest.config.ts",
      "packages/bank-account/vitest.config.ts",
      "packages/testkit/vitest.config.ts",
      "packages/sql/vitest.config.ts",
      {
        extends: "packages/store-sqlite/vitest.config.ts",
        test: { root: "packages/store-sqlite", include: sqliteInProcess.map((file) => `test/${file}`) }
      },
      // Not extending the bin's config: a project's `extends` adds to its arrays, so its global setups (a PostgreSQL
      // server and the bin's bundle, which this test needs neither of) would run at every test runner's start.
      {
        extends: "vitest.shared.ts",
        test: {
          name: "@chronicle/cli",
          root: "packages/cli",
          include: ["test/ExportFormat.test.ts", "test/ExportFormatEdges.test.ts"]
        }
      }
    ]
  }
})
