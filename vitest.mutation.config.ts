import { defineConfig } from "vitest/config"

// The tests `pnpm test:mutation` runs against each mutant: the kernel's packages and the tests of the SQL stores and
// the bin that run in this process (a child process would run the code without the mutant, so those are left out).
const sqliteInProcess = [
  "SqliteEventStore.test.ts",
  "SqliteEventStoreRows.test.ts",
  "SqliteEventStoreSynchronous.test.ts",
  "SqliteHandlerLaws.test.ts",
  "SqliteProjections.test.ts",
  "SqliteSchema.test.ts",
  "SqliteStorageFaults.test.ts",
  "SqliteStoreAdmin.test.ts"
]

// PostgreSQL's in-process tests, on one embedded server per test runner (started once, kept for all its mutants). Left
// out besides the process tests: the projection suite and the handler laws (100,000-event loads; code paths the
// conformance suite runs too), which would make each surviving mutant cost much longer.
const postgresInProcess = [
  "PostgresCheckpointsSnapshots.test.ts",
  "PostgresConditions.test.ts",
  "PostgresConnectionLoss.test.ts",
  "PostgresDialect.test.ts",
  "PostgresEngine.test.ts",
  "PostgresEventStore.test.ts",
  "PostgresEventStoreClient.test.ts",
  "PostgresEventStoreOptions.test.ts",
  "PostgresEventStoreRows.test.ts",
  "PostgresMigrations.test.ts",
  "PostgresOrdering.test.ts",
  "PostgresQueryPlans.test.ts",
  "PostgresSchema.test.ts",
  "PostgresStorageFaults.test.ts",
  "PostgresStoreAdmin.test.ts"
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
      {
        extends: "packages/store-postgres/vitest.config.ts",
        test: { root: "packages/store-postgres", include: postgresInProcess.map((file) => `test/${file}`) }
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
