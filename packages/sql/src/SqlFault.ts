/**
 * Driver errors, read once: the code a driver gives a failure (what a dialect's `isRetryable` and
 * `isUniqueViolation` look at), and the `StorageError` a failed statement becomes.
 *
 * @since 0.1.0
 */
import { StorageError } from "@chronicle/core"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, Predicate } from "effect"

/**
 * The code of a driver error, looked for on the error and along its `cause` chain (an `SqlError` wraps the driver's):
 * SQLite's `SQLITE_BUSY`, PostgreSQL's SQLSTATE `23505`, ...
 *
 * @since 0.1.0
 * @category errors
 */
export const errorCode = (error: unknown): string | undefined => {
  let current = error
  for (let depth = 0; depth < 8; depth++) {
    if (typeof current !== "object" || current === null) return undefined
    const code = (current as { readonly code?: unknown }).code
    if (typeof code === "string") return code
    current = (current as { readonly cause?: unknown }).cause
  }
  return undefined
}

/**
 * The `StorageError` of a failure: for a failed statement, its cause is the driver's own error (which carries the
 * code and the database's message), not the `SqlError` around it.
 *
 * @since 0.1.0
 * @category errors
 */
export const toStorageError =
  (operation: string) =>
  (error: unknown): StorageError.StorageError =>
    new StorageError.StorageError({
      operation,
      cause: Predicate.isTagged(error, "SqlError") ? ((error as SqlError).cause ?? error) : error
    })

/**
 * Fails with the `StorageError` of a failed statement: for `Effect.catchTag("SqlError", ...)`.
 *
 * @since 0.1.0
 * @category errors
 */
export const fail =
  (operation: string) =>
  (error: SqlError): Effect.Effect<never, StorageError.StorageError> =>
    Effect.fail(toStorageError(operation)(error))
