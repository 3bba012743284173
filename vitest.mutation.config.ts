import { fileURLToPath } from "node:url"
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

/** Switches static mutants on before a test file loads anything (see the file). */
const activation = fileURLToPath(new URL("./scripts/vitest/StrykerStaticActivation.ts", import.meta.url))

/** A package's test project (its own config), with the mutant switched on early; `test` narrows it. */
const inPackage = (name: string, test: { readonly include?: ReadonlyArray<string> } = {}) => ({
  extends: `packages/${name}/vitest.config.ts`,
  test: { root: `packages/${name}`, setupFiles: [activation], ...test }
})

export default defineConfig({
  test: {
    projects: [
      inPackage("core"),
      inPackage("store-memory"),
      inPackage("bank-account"),
      inPackage("testkit"),
      inPackage("sql"),
      inPackage("store-sqlite", { include: sqliteInProcess.map((file) => `test/${file}`) }),
      inPackage("store-postgres", { include: postgresInProcess.map((file) => `test/${file}`) }),
      // Not extending the bin's config: a project's `extends` adds to its arrays, so its global setups (a PostgreSQL
      // server and the bin's bundle, which this test needs neither of) would run at every test runner's start.
      {
        extends: "vitest.shared.ts",
        test: {
          name: "@chronicle/cli",
          root: "packages/cli",
          setupFiles: [activation],
          include: ["test/ExportFormat.test.ts", "test/ExportFormatEdges.test.ts"]
        }
      }
    ]
  }
})
