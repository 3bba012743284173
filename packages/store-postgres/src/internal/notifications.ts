/**
 * LISTEN/NOTIFY as a wake-up hint, never as the source of events: readers always read the table, and poll it when no
 * hint comes, so a lost notification costs latency, not events.
 *
 * - **Publishing**: after an append commits, one `NOTIFY` on the events table's channel, sent outside the append's
 *   transaction. A `NOTIFY` inside a transaction takes a lock held to the end of its commit (PostgreSQL queues
 *   notifications in commit order), which would make concurrent appends commit one by one instead of sharing the WAL
 *   flush, so appends do not notify themselves: a publisher fiber does, after them. The first commit after a quiet
 *   spell is announced at once; commits that come while a notification is being sent, or within
 *   `publishInterval` of it, share the next one (at most one `NOTIFY` per 10 ms: each is a statement, and a
 *   transaction id, of its own). An append that joins the application's transaction notifies inside it instead, so
 *   the notification is delivered with that commit (and never for a rollback).
 * - **Listening**: a connection of its own runs `LISTEN` and wakes the engine's notifier on every notification,
 *   whatever its payload (`@effect/sql-pg`'s `listen` drops empty ones). When the connection dies (the server
 *   restarted, the backend was terminated, the network failed) it connects again, with backoff, and wakes the readers
 *   once connected, for what committed while it was away.
 *
 * Waits run on the live clock: they are about a real server, whatever clock the caller's fiber has.
 *
 * @since 0.1.0
 * @internal
 */
import type * as SqlClient from "@effect/sql/SqlClient"
import { Cause, Clock, Duration, Effect, Exit, type Scope } from "effect"
import pg from "pg"

/**
 * The payload of the store's notifications (any payload wakes the store's listeners; this one is not empty, so
 * `@effect/sql-pg`'s `listen` passes it on too).
 *
 * @since 0.1.0
 * @internal
 */
export const payload = "append"

const liveClock = Clock.make()

/**
 * Sleeps on the live clock.
 *
 * @since 0.1.0
 * @internal
 */
export const sleepLive = (duration: Duration.DurationInput): Effect.Effect<void> =>
  liveClock.sleep(Duration.decode(duration))

/**
 * Runs an effect with the live clock as its clock.
 *
 * @since 0.1.0
 * @internal
 */
export const onLiveClock = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.withClock(effect, liveClock)

/**
 * The least time between two notifications of the publisher.
 *
 * @since 0.1.0
 * @internal
 */
export const publishInterval: Duration.Duration = Duration.millis(10)

/** The backoff before the `attempt`-th reconnection (from 1): 100 ms doubling up to 2 s. */
const backoff = (attempt: number) => Duration.millis(Math.min(100 * 2 ** Math.max(0, attempt - 1), 2_000))

/**
 * The publisher: `published()` after an append committed outside the application's transaction;
 * `inTransaction` notifies inside the application's transaction (delivered when it commits).
 *
 * @since 0.1.0
 * @internal
 */
export interface Publisher {
  readonly published: () => void
  readonly inTransaction: Effect.Effect<void, unknown>
}

/**
 * Starts the publisher fiber on the client; it stops with the scope. A failed `NOTIFY` is dropped (readers poll).
 *
 * @since 0.1.0
 * @internal
 */
export const publisher = (client: SqlClient.SqlClient, channel: string): Effect.Effect<Publisher, never, Scope.Scope> =>
  Effect.gen(function* () {
    const notify = client.unsafe("SELECT pg_notify($1, $2)", [channel, payload])
    let pending = false
    let wake: (() => void) | undefined
    const next = Effect.async<void>((resume) => {
      if (pending) return resume(Effect.void)
      wake = () => resume(Effect.void)
      return Effect.sync(() => {
        wake = undefined
      })
    })
    const loop = Effect.forever(
      next.pipe(
        Effect.zipRight(
          Effect.suspend(() => {
            pending = false
            return Effect.ignore(notify)
          })
        ),
        Effect.zipRight(sleepLive(publishInterval))
      )
    )
    yield* Effect.forkScoped(Effect.interruptible(loop))
    return {
      published: () => {
        pending = true
        const resume = wake
        wake = undefined
        resume?.()
      },
      inTransaction: Effect.asVoid(notify)
    }
  })

/**
 * Where the listener reports: every notification on the channel, and every (re)connection.
 *
 * @since 0.1.0
 * @internal
 */
export interface ListenerOptions {
  readonly config: pg.ClientConfig
  readonly channel: string
  readonly onNotification: () => void
}

/** One session: connect, LISTEN, wake the readers, then wait for notifications until the connection ends. */
const session = (options: ListenerOptions, connected: () => void): Effect.Effect<void, unknown> =>
  Effect.acquireUseRelease(
    Effect.tryPromise(async () => {
      const client = new pg.Client(options.config)
      // Until `use` installs its own, an error on a half-open connection must not end the process.
      client.on("error", () => {})
      try {
        await client.connect()
        await client.query(`LISTEN "${options.channel.replace(/"/g, '""')}"`)
      } catch (error) {
        await client.end().catch(() => {})
        throw error
      }
      return client
    }),
    (client) =>
      Effect.async<void, unknown>((resume) => {
        const onNotification = (message: pg.Notification) => {
          if (message.channel === options.channel) options.onNotification()
        }
        client.on("notification", onNotification)
        client.on("error", (error) => resume(Effect.fail(error)))
        client.on("end", () => resume(Effect.fail(new Error("the listening connection ended"))))
        connected()
        // Appends may have committed while no connection listened.
        options.onNotification()
      }),
    (client) =>
      Effect.promise(() => client.end().catch(() => {})).pipe(Effect.interruptible, Effect.timeoutOption("1 second"))
  )

/**
 * Starts the listener fiber: it listens, reconnecting with backoff whenever its connection ends, until the scope
 * closes. `connections` counts the connections it has made (tests use it to wait for a reconnection).
 *
 * @since 0.1.0
 * @internal
 */
export const listen = (
  options: ListenerOptions
): Effect.Effect<{ readonly connections: () => number }, never, Scope.Scope> =>
  Effect.gen(function* () {
    let connections = 0
    let failures = 0
    const connected = () => {
      connections++
      failures = 0
    }
    const loop = Effect.forever(
      Effect.flatMap(Effect.exit(session(options, connected)), (exit) => {
        failures++
        return Effect.zipRight(
          Effect.logDebug("Chronicle's LISTEN connection ended; connecting again").pipe(
            Effect.annotateLogs({
              channel: options.channel,
              cause: Exit.isFailure(exit) ? Cause.pretty(exit.cause) : ""
            })
          ),
          sleepLive(backoff(failures))
        )
      })
    )
    yield* Effect.forkScoped(Effect.interruptible(loop))
    return { connections: () => connections }
  })
