// @ts-check
import { createRequire } from "node:module"

const require = createRequire(import.meta.url)

/**
 * Mutation testing of the kernel: `pnpm test:mutation` (all of `mutate`) or `pnpm test:mutation --mutate <file>`.
 * Incremental: results are kept in reports/stryker-incremental.json (committed), so a re-run tests only the mutants
 * whose code or tests changed.
 * @type {import("@stryker-mutator/api/core").PartialStrykerOptions}
 */
export default {
  packageManager: "pnpm",
  // pnpm does not hoist the plugins next to @stryker-mutator/core, which therefore cannot find them by itself.
  plugins: [require.resolve("@stryker-mutator/vitest-runner"), require.resolve("@stryker-mutator/typescript-checker")],
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts", related: true },
  checkers: ["typescript"],
  tsconfigFile: "tsconfig.mutation.json",
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: [
    "packages/core/src/StreamId.ts",
    "packages/core/src/ExpectedVersion.ts",
    "packages/core/src/EventStore.ts",
    "packages/core/src/engine/StorageEngine.ts",
    "packages/core/src/internal/validate.ts",
    "packages/core/src/EventCodec.ts",
    "packages/core/src/internal/plainEncoder.ts",
    "packages/core/src/CommandHandler.ts",
    "packages/core/src/internal/loading.ts",
    "packages/core/src/internal/snapshotting.ts",
    "packages/core/src/internal/stateCache.ts",
    "packages/core/src/Projection.ts",
    "packages/core/src/ProjectionRunner.ts",
    "packages/core/src/CheckpointStore.ts",
    "packages/core/src/SnapshotStore.ts",
    "packages/core/src/Position.ts",
    "packages/core/src/engine/AppendRule.ts",
    "packages/store-memory/src/*.ts",
    "!packages/store-memory/src/index.ts",
    "packages/bank-account/src/BankAccount.ts",
    "packages/bank-account/src/Money.ts",
    "packages/sql/src/SqlEngine.ts",
    "packages/store-postgres/src/internal/dialect.ts",
    "packages/cli/src/ExportFormat.ts"
  ],
  incremental: true,
  incrementalFile: "reports/stryker-incremental.json",
  // pnpm's workspace links (packages/*/node_modules) point into the tree: mutate it in place rather than a copy.
  inPlace: true,
  concurrency: 2,
  // Vitest compiles without type checks: only the mutated files need Stryker's edits (and their modes kept).
  disableTypeChecks: false,
  timeoutMS: 10_000,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always"
}
