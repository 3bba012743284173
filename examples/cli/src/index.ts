/**
 * @since 0.1.0
 */

/**
 * A program's flags, its help text, and parsing that answers every mistake with one `UsageError`.
 *
 * @since 0.1.0
 */
export * as CommandLine from "./CommandLine.js"

/**
 * Running a program as the process: help, then `@chronicle/cli`'s one-line failures and exit codes.
 *
 * @since 0.1.0
 */
export * as Program from "./Program.js"

/**
 * The SQLite file an example uses: `--db`, `--fresh`, and the checks before a store opens it.
 *
 * @since 0.1.0
 */
export * as DatabaseFile from "./DatabaseFile.js"

/**
 * Where an example keeps its events: a SQLite file, or PostgreSQL with `--pg URL` (or `CHRONICLE_PG_URL`).
 *
 * @since 0.1.0
 */
export * as Storage from "./Storage.js"
