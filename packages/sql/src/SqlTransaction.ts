/**
 * Transactions of the engine and the stores, over any `@effect/sql` client: a transaction of their own on a reserved
 * connection, begun with the dialect's statement, or — inside the application's `sql.withTransaction` — a savepoint
 * in the application's transaction, which then commits or rolls back everything together.
 *
 * Unlike `sql.withTransaction`, a failed `COMMIT` is an error (a `SqlError`), never a defect, and a transaction that
 * met another one's lock is run again from the start, with backoff.
 *
 * The application's transaction is recognised as `@effect/sql` does, by the `TransactionConnection` in context,
 * which does not say which client opened it: run appends inside transactions of the store's own database only.
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type { Connection } from "@effect/sql/SqlConnection"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, Exit, Option, Schedule } from "effect"
import type { SqlDialect } from "./SqlDialect.js"

/**
 * How many times a transaction that met another one's lock is run again before its error surfaces.
 *
 * @since 0.1.0
 * @category constants
 */
export const retries = 10

/**
 * The delay before the `attempt`-th retry (from 1): 2 ms doubling up to 100 ms, jittered by ±20 %.
 *
 * @since 0.1.0
 * @category constants
 */
export const retryDelay = (attempt: number): number =>
  Math.min(2 * 2 ** Math.max(0, attempt - 1), 100) * (0.8 + 0.4 * Math.random())

const retrySchedule = Schedule.exponential("2 millis").pipe(
  Schedule.union(Schedule.spaced("100 millis")),
  Schedule.jittered,
  Schedule.intersect(Schedule.recurs(retries))
)

/**
 * Runs an attempt again while it fails with an error `isRetryable` accepts, with jittered exponential backoff (2 ms
 * up to 100 ms, at most `retries` times). The success path costs one `catchIf`.
 *
 * @since 0.1.0
 * @category combinators
 */
export const retryWhile =
  (isRetryable: (error: unknown) => boolean) =>
  <A, E, R>(attempt: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.catchIf(attempt, isRetryable, () => Effect.retry(attempt, { schedule: retrySchedule, while: isRetryable }))

const execute = (conn: Connection, statement: string) => conn.executeUnprepared(statement, [], undefined)

/** The body on its own reserved connection, between the dialect's `BEGIN` and `COMMIT`. */
const own = <A, E, R>(
  client: SqlClient.SqlClient,
  begin: string,
  body: (conn: Connection) => Effect.Effect<A, E, R>
): Effect.Effect<A, E | SqlError, R> =>
  Effect.uninterruptibleMask((restore) =>
    Effect.scoped(
      Effect.gen(function* () {
        // Reserved uninterruptibly: a client that hands out its connection after its taker was interrupted (as
        // @effect/sql-pg's pool does) would never get it back, and closing its pool would wait for it forever. The
        // wait is bounded by the client's connect timeout.
        const conn = yield* client.reserve
        yield* execute(conn, begin)
        const exit = yield* Effect.exit(
          restore(Effect.provideService(body(conn), SqlClient.TransactionConnection, [conn, 0] as const))
        )
        if (Exit.isFailure(exit)) {
          yield* Effect.ignore(execute(conn, "ROLLBACK"))
          return yield* exit
        }
        yield* Effect.tapError(execute(conn, "COMMIT"), () => Effect.ignore(execute(conn, "ROLLBACK")))
        return exit.value
      })
    )
  )

/** The body in a savepoint of the caller's transaction, one level below the caller's. */
const joined = <A, E, R>(
  conn: Connection,
  depth: number,
  body: (conn: Connection) => Effect.Effect<A, E, R>
): Effect.Effect<A, E | SqlError, R> => {
  const name = `chronicle_${depth + 1}`
  return Effect.uninterruptibleMask((restore) =>
    Effect.gen(function* () {
      yield* execute(conn, `SAVEPOINT ${name}`)
      const exit = yield* Effect.exit(
        restore(Effect.provideService(body(conn), SqlClient.TransactionConnection, [conn, depth + 1] as const))
      )
      if (Exit.isFailure(exit)) {
        yield* Effect.ignore(
          Effect.zipRight(execute(conn, `ROLLBACK TO SAVEPOINT ${name}`), execute(conn, `RELEASE SAVEPOINT ${name}`))
        )
        return yield* exit
      }
      yield* execute(conn, `RELEASE SAVEPOINT ${name}`)
      return exit.value
    })
  )
}

/**
 * Runs `body` in one transaction: all of it or nothing. Inside the application's transaction on this client it runs
 * in a savepoint of that transaction (and is not retried: the application's transaction is not the engine's to run
 * again); otherwise on a connection of its own, reserved from the client, begun with `dialect.beginTransaction`, run
 * again from the start while it fails with an error `dialect.isRetryable` accepts. The body gets the connection, and
 * statements it runs through the client (the application's own included) run on it too.
 *
 * @since 0.1.0
 * @category combinators
 */
export const run = <A, E, R>(
  client: SqlClient.SqlClient,
  dialect: Pick<SqlDialect, "beginTransaction" | "isRetryable">,
  body: (conn: Connection) => Effect.Effect<A, E, R>
): Effect.Effect<A, E | SqlError, R> =>
  Effect.flatMap(Effect.serviceOption(SqlClient.TransactionConnection), (outer) =>
    Option.isSome(outer)
      ? joined(outer.value[0], outer.value[1], body)
      : retryWhile(dialect.isRetryable)(own(client, dialect.beginTransaction, body))
  )
