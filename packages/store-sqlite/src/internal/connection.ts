/**
 * Running statements on the client's one connection: alone (no other fiber's statement in between), inside a
 * `BEGIN IMMEDIATE` write transaction, and retried while SQLite answers `SQLITE_BUSY` or `SQLITE_LOCKED`.
 *
 * When the caller already runs inside a `SqlClient.withTransaction` of the same client, the statements join that
 * transaction (a savepoint for writes) instead of waiting for a connection the caller holds.
 *
 * @since 0.1.0
 * @internal
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type { Connection } from "@effect/sql/SqlConnection"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, Option, Schedule } from "effect"

/**
 * Whether an error is SQLite reporting a lock held by another connection (`SQLITE_BUSY*` or `SQLITE_LOCKED*`).
 *
 * @since 0.1.0
 * @internal
 */
export const isBusy = (error: unknown): boolean => {
  if (typeof error !== "object" || error === null || (error as { readonly _tag?: unknown })._tag !== "SqlError") {
    return false
  }
  const cause = (error as { readonly cause?: unknown }).cause
  const code = typeof cause === "object" && cause !== null ? (cause as { readonly code?: unknown }).code : undefined
  return typeof code === "string" && (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"))
}

/**
 * The retry policy for busy errors: jittered exponential backoff from 2 ms, each delay at most 100 ms, at most
 * `retries` times. It runs after SQLite's own `busy_timeout` wait has given up.
 *
 * @since 0.1.0
 * @internal
 */
export const busyRetry = (retries: number): Schedule.Schedule<unknown, unknown> =>
  Schedule.exponential("2 millis").pipe(
    Schedule.union(Schedule.spaced("100 millis")),
    Schedule.jittered,
    Schedule.intersect(Schedule.recurs(retries))
  )

const outerTransaction = Effect.serviceOption(SqlClient.TransactionConnection)

const ignore = (effect: Effect.Effect<unknown, unknown>) => Effect.ignore(effect)

/**
 * The statements a transaction needs.
 *
 * @since 0.1.0
 * @internal
 */
export interface TransactionStatements {
  readonly begin: string
  readonly commit: string
  readonly rollback: string
}

/**
 * The connection runner of one store.
 *
 * @since 0.1.0
 * @internal
 */
export interface Runner {
  /** Runs `f` with the connection to itself (or the caller's transaction), retrying busy errors. */
  readonly withConnection: <A, E>(f: (conn: Connection) => Effect.Effect<A, E>) => Effect.Effect<A, E | SqlError>
  /** Runs `f` in a `BEGIN IMMEDIATE` transaction (a savepoint inside the caller's transaction); retries busy errors. */
  readonly transaction: <A, E>(f: (conn: Connection) => Effect.Effect<A, E>) => Effect.Effect<A, E | SqlError>
}

/**
 * Builds the runner for a client.
 *
 * @since 0.1.0
 * @internal
 */
export const makeRunner = (
  client: SqlClient.SqlClient,
  sql: TransactionStatements,
  retry: Schedule.Schedule<unknown, unknown>
): Runner => {
  const retryBusy = <A, E>(effect: Effect.Effect<A, E>) => Effect.retry(effect, { schedule: retry, while: isBusy })

  const withConnection = <A, E>(f: (conn: Connection) => Effect.Effect<A, E>): Effect.Effect<A, E | SqlError> =>
    Effect.flatMap(outerTransaction, (outer) =>
      Option.isSome(outer) ? f(outer.value[0]) : retryBusy(Effect.scoped(Effect.flatMap(client.reserve, f)))
    )

  const inTransaction = <A, E>(conn: Connection, f: (conn: Connection) => Effect.Effect<A, E>) =>
    Effect.zipRight(
      conn.execute(sql.begin, [], undefined),
      Effect.matchCauseEffect(f(conn), {
        onSuccess: (a) =>
          conn.execute(sql.commit, [], undefined).pipe(
            Effect.onError(() => ignore(conn.execute(sql.rollback, [], undefined))),
            Effect.as(a)
          ),
        onFailure: (cause) =>
          Effect.zipRight(ignore(conn.execute(sql.rollback, [], undefined)), Effect.failCause(cause))
      })
    )

  const inSavepoint = <A, E>(conn: Connection, f: (conn: Connection) => Effect.Effect<A, E>) =>
    Effect.zipRight(
      conn.execute("SAVEPOINT chronicle_store", [], undefined),
      Effect.matchCauseEffect(f(conn), {
        onSuccess: (a) => Effect.as(conn.execute("RELEASE chronicle_store", [], undefined), a),
        onFailure: (cause) =>
          ignore(conn.execute("ROLLBACK TO chronicle_store", [], undefined)).pipe(
            Effect.zipRight(ignore(conn.execute("RELEASE chronicle_store", [], undefined))),
            Effect.zipRight(Effect.failCause(cause))
          )
      })
    )

  const transaction = <A, E>(f: (conn: Connection) => Effect.Effect<A, E>): Effect.Effect<A, E | SqlError> =>
    Effect.flatMap(outerTransaction, (outer) =>
      Option.isSome(outer)
        ? Effect.uninterruptible(inSavepoint(outer.value[0], f))
        : retryBusy(
            Effect.uninterruptibleMask((restore) =>
              Effect.scoped(Effect.flatMap(restore(client.reserve), (conn) => inTransaction(conn, f)))
            )
          )
    )

  return { withConnection, transaction }
}
