/**
 * How the engine reaches SQLite: synchronous statement bodies run alone on the connection, writes inside a
 * `BEGIN IMMEDIATE` transaction, retried with backoff while SQLite answers `SQLITE_BUSY` / `SQLITE_LOCKED`.
 *
 * Two implementations: `database.ts` runs bodies directly on a better-sqlite3 handle the store owns (no Effect
 * per statement); `fromClient` here runs them on any `@effect/sql` SQLite client, through its reserved connection.
 *
 * @since 0.1.0
 * @internal
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type { Connection } from "@effect/sql/SqlConnection"
import { SqlError } from "@effect/sql/SqlError"
import { Cause, Effect, Either, Exit, Option, Schedule } from "effect"

/**
 * Synchronous statements with bound parameters, throwing on failure: `all` returns the rows as objects, `rows` as
 * arrays of column values (cheaper to build), `value` the first column of the first row, and `insert` runs an
 * `INSERT` and returns the row id of the last row it inserted. `prepared` says whether each statement is prepared
 * once and cheap to run (so a batch is best inserted one row at a time) or goes through a client per call (so one
 * statement for many rows is cheaper).
 *
 * @since 0.1.0
 * @internal
 */
export interface SyncSql {
  readonly prepared: boolean
  readonly all: (sql: string, params: ReadonlyArray<unknown>) => ReadonlyArray<unknown>
  readonly rows: (sql: string, params: ReadonlyArray<unknown>) => ReadonlyArray<ReadonlyArray<unknown>>
  readonly value: (sql: string, params: ReadonlyArray<unknown>) => unknown
  readonly insert: (sql: string, params: ReadonlyArray<unknown>) => number
}

/**
 * A synchronous body: its rows, or a typed failure (which rolls a write back).
 *
 * @since 0.1.0
 * @internal
 */
export type Body<A, E> = (sql: SyncSql) => Either.Either<A, E>

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
   * when it shares a transaction.
   */
  readonly write: <A, E>(body: Body<A, E>, oneStatement?: boolean) => Effect.Effect<A, E | SqlError>
  /** Runs a read-only body with no other statement in between. */
  readonly read: <A, E>(body: Body<A, E>) => Effect.Effect<A, E | SqlError>
  /** Registers a listener called after each commit of a write, before the writers are answered. */
  readonly onCommit: (listener: () => void) => void
}

const codeOf = (error: unknown): unknown => {
  if (typeof error !== "object" || error === null) return undefined
  const code = (error as { readonly code?: unknown }).code
  return code ?? codeOf((error as { readonly cause?: unknown }).cause)
}

/**
 * Whether an error is SQLite reporting a lock held by another connection (`SQLITE_BUSY*` or `SQLITE_LOCKED*`).
 *
 * @since 0.1.0
 * @internal
 */
export const isBusy = (error: unknown): boolean => {
  const code = codeOf(error)
  return typeof code === "string" && (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"))
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
 * How often a busy database is retried after SQLite's own `busy_timeout` wait gave up.
 *
 * @since 0.1.0
 * @internal
 */
export const busyRetries = 10

const busySchedule = Schedule.exponential("2 millis").pipe(
  Schedule.union(Schedule.spaced("100 millis")),
  Schedule.jittered,
  Schedule.intersect(Schedule.recurs(busyRetries))
)

/**
 * The delay before the `attempt`-th retry of a busy write (from 1): 2 ms doubling up to 100 ms, jittered by ±20 %,
 * as `retryBusy` waits.
 *
 * @since 0.1.0
 * @internal
 */
export const busyDelay = (attempt: number): number =>
  Math.min(2 * 2 ** Math.max(0, attempt - 1), 100) * (0.8 + 0.4 * Math.random())

/**
 * Retries an attempt on busy errors with jittered exponential backoff (2 ms up to 100 ms, at most `busyRetries`
 * times). The success path pays for nothing but one `catchIf`.
 *
 * @since 0.1.0
 * @internal
 */
export const retryBusy = <A, E>(attempt: Effect.Effect<A, E>): Effect.Effect<A, E> =>
  Effect.catchIf(attempt, isBusy, () => Effect.retry(attempt, { schedule: busySchedule, while: isBusy }))

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
  for (const statement of statements) sql.all(statement, [])
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
  sql.all(statements.begin, [])
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

const runNow = <A>(effect: Effect.Effect<A, SqlError>): A => {
  const exit = Effect.runSyncExit(effect)
  if (Exit.isSuccess(exit)) return exit.value
  throw Cause.squash(exit.cause)
}

const syncOver = (conn: Connection): SyncSql => ({
  prepared: false,
  all: (text, params) => runNow(conn.execute(text, params, undefined)),
  rows: (text, params) => runNow(conn.executeValues(text, params)),
  value: (text, params) => runNow(conn.executeValues(text, params))[0]?.[0],
  insert: (text, params) => {
    runNow(conn.execute(text, params, undefined))
    const rows = runNow(conn.execute("SELECT last_insert_rowid() AS id", [], undefined))
    return Number((rows[0] as { readonly id: number | bigint }).id)
  }
})

/**
 * Runs a synchronous body as an Effect, turning anything it throws into a `SqlError`.
 *
 * @since 0.1.0
 * @internal
 */
export const runSync = <A, E>(run: () => Either.Either<A, E>): Effect.Effect<A, E | SqlError> =>
  Effect.suspend((): Effect.Effect<A, E | SqlError> => {
    try {
      return run()
    } catch (error) {
      return Effect.fail(toSqlError(error))
    }
  })

/**
 * Access through any `@effect/sql` client for SQLite: each body runs on the connection `reserve` hands out (or
 * the caller's transaction connection), its statements run synchronously one by one.
 *
 * @since 0.1.0
 * @internal
 */
export const fromClient = (client: SqlClient.SqlClient): Access => {
  const listeners: Array<() => void> = []
  const committed = () => {
    for (const listener of listeners) listener()
  }
  const run = <A, E>(
    onOuter: (conn: Connection) => Effect.Effect<A, E>,
    onOwn: (conn: Connection) => Effect.Effect<A, E>
  ) =>
    Effect.flatMap(Effect.serviceOption(SqlClient.TransactionConnection), (outer) =>
      Option.isSome(outer)
        ? onOuter(outer.value[0])
        : retryBusy(
            Effect.uninterruptibleMask((restore) => Effect.scoped(Effect.flatMap(restore(client.reserve), onOwn)))
          )
    )
  return {
    write: (body) =>
      Effect.tap(
        run(
          (conn) => runSync(() => transact(syncOver(conn), body, savepoint)),
          (conn) => runSync(() => transact(syncOver(conn), body, immediate))
        ),
        committed
      ),
    read: (body) => {
      const onConn = (conn: Connection) => runSync(() => body(syncOver(conn)))
      return run(onConn, onConn)
    },
    onCommit: (listener) => {
      listeners.push(listener)
    }
  }
}
