/**
 * How the store's own engine reaches the connection it opened: synchronous statement bodies on better-sqlite3
 * statements prepared once (one Effect per append or read, not one per statement), run alone on the connection,
 * writes inside a `BEGIN IMMEDIATE` transaction, retried with backoff while SQLite answers `SQLITE_BUSY` /
 * `SQLITE_LOCKED`. `database.ts` implements it; an application's client goes through the shared `SqlEngine` instead.
 *
 * @since 0.1.0
 * @internal
 */
import { SqlTransaction } from "@chronicle/sql"
import { SqlError } from "@effect/sql/SqlError"
import { Effect, Either } from "effect"
import { isBusy } from "./dialect.js"

/**
 * Synchronous statements with bound parameters, throwing on failure: `rows` returns the rows as arrays of column
 * values, `value` the first column of the first row, `insert` runs an `INSERT` and returns the row id of the row it
 * inserted, and `exec` runs a statement that returns nothing.
 *
 * @since 0.1.0
 * @internal
 */
export interface SyncSql {
  readonly rows: (sql: string, params: ReadonlyArray<unknown>) => ReadonlyArray<ReadonlyArray<unknown>>
  readonly value: (sql: string, params: ReadonlyArray<unknown>) => unknown
  readonly insert: (sql: string, params: ReadonlyArray<unknown>) => number
  readonly exec: (sql: string) => void
}

/**
 * A synchronous body: its rows, or a typed failure (which rolls a write back).
 *
 * @since 0.1.0
 * @internal
 */
export type Body<A, E> = (sql: SyncSql) => Either.Either<A, E>

/**
 * A write that is whole in one statement, run on its own outside a transaction (SQLite commits the statement alone):
 * its outcome, or `undefined` when the statement wrote nothing and the write's body must decide, in a transaction.
 *
 * @since 0.1.0
 * @internal
 */
export type Lone<A, E> = (sql: SyncSql) => Either.Either<A, E> | undefined

/**
 * Running bodies on a connection.
 *
 * @since 0.1.0
 * @internal
 */
export interface Access {
  /**
   * Runs a body in a write transaction (a savepoint inside the caller's own transaction), all or nothing, and
   * answers once that transaction committed. `oneStatement`: the body fails, if at all, before it writes, and writes
   * with at most one statement (which SQLite rolls back by itself when it fails), so it needs no savepoint of its own
   * when it shares a transaction. `lone`: how to run the write when it has the connection to itself (no other write
   * waiting, no transaction open), in one statement that commits alone; `body` decides when it wrote nothing.
   */
  readonly write: <A, E>(body: Body<A, E>, oneStatement?: boolean, lone?: Lone<A, E>) => Effect.Effect<A, E | SqlError>
  /** Runs a read-only body with no other statement in between. */
  readonly read: <A, E>(body: Body<A, E>) => Effect.Effect<A, E | SqlError>
  /** Registers a listener called after each commit of a write, before the writers are answered. */
  readonly onCommit: (listener: () => void) => void
}

/**
 * Wraps anything thrown by a statement as a `SqlError`.
 *
 * @since 0.1.0
 * @internal
 */
export const toSqlError = (error: unknown): SqlError =>
  error instanceof SqlError
    ? error
    : new SqlError({ cause: error, message: error instanceof Error ? error.message : "SQLite statement failed" })

/**
 * Retries an attempt on busy errors with jittered exponential backoff (`SqlTransaction.retryWhile`).
 *
 * @since 0.1.0
 * @internal
 */
export const retryBusy: <A, E, R>(attempt: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R> =
  SqlTransaction.retryWhile(isBusy)

/**
 * The statements that open, commit and roll back a transaction (or a savepoint).
 *
 * @since 0.1.0
 * @internal
 */
export interface TransactionStatements {
  readonly begin: string
  readonly commit: ReadonlyArray<string>
  readonly rollback: ReadonlyArray<string>
}

/**
 * A write transaction that takes the write lock up front: a deferred one that reads and then writes can deadlock
 * with another process and fail at once with `SQLITE_BUSY`.
 *
 * @since 0.1.0
 * @internal
 */
export const immediate: TransactionStatements = { begin: "BEGIN IMMEDIATE", commit: ["COMMIT"], rollback: ["ROLLBACK"] }

/**
 * A savepoint, for writes inside a transaction the caller already opened on the same connection.
 *
 * @since 0.1.0
 * @internal
 */
export const savepoint: TransactionStatements = {
  begin: "SAVEPOINT chronicle_store",
  commit: ["RELEASE chronicle_store"],
  rollback: ["ROLLBACK TO chronicle_store", "RELEASE chronicle_store"]
}

const runAll = (sql: SyncSql, statements: ReadonlyArray<string>) => {
  for (const statement of statements) sql.exec(statement)
}

/**
 * Runs a body between `begin` and `commit`, rolling back on a typed failure or a thrown error.
 *
 * @since 0.1.0
 * @internal
 */
export const transact = <A, E>(
  sql: SyncSql,
  body: Body<A, E>,
  statements: TransactionStatements
): Either.Either<A, E> => {
  sql.exec(statements.begin)
  let result: Either.Either<A, E>
  try {
    result = body(sql)
    runAll(sql, Either.isRight(result) ? statements.commit : statements.rollback)
  } catch (error) {
    try {
      runAll(sql, statements.rollback)
    } catch {
      // the transaction is already gone
    }
    throw error
  }
  return result
}

/**
 * Runs a synchronous body as an Effect, turning anything it throws into a `SqlError`.
 *
 * @since 0.1.0
 * @internal
 */
export const runBody = <A, E>(run: () => Either.Either<A, E>): Effect.Effect<A, E | SqlError> =>
  Effect.suspend((): Effect.Effect<A, E | SqlError> => {
    try {
      return run()
    } catch (error) {
      return Effect.fail(toSqlError(error))
    }
  })
