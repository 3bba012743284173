/**
 * Live subscriptions that outlive a lost connection. A subscription is meant to run for as long as the application
 * does; when the server goes away (a restart, a failover, the network), its reads fail with `StorageError`. Instead
 * of ending the stream, the subscription waits (backing off up to 2 s between tries, on the live clock) and starts
 * again after the last event it delivered, so nothing is lost or delivered twice. Any other failure (a decode error,
 * a permission refused) ends it as before.
 *
 * @since 0.1.0
 * @internal
 */
import { type EventStore, Position, type RecordedEvent } from "@chronicle/core"
import { Duration, Effect, Option, Stream } from "effect"
import { isConnectionLost } from "./faults.js"
import { sleepLive } from "./notifications.js"

const backoff = (attempt: number) => Duration.millis(Math.min(100 * 2 ** Math.max(0, attempt - 1), 2_000))

/**
 * Wraps a store's `subscribe` so that its subscriptions resume after a lost connection.
 *
 * @since 0.1.0
 * @internal
 */
export const resuming =
  (subscribe: EventStore.EventStore["Type"]["subscribe"]): EventStore.EventStore["Type"]["subscribe"] =>
  (options) =>
    Stream.suspend(() => {
      let after = options?.after ?? Position.start
      let remaining = options?.maxCount
      let failures = 0
      let finished = false
      /** One run of the subscription from the last event delivered, until it ends or loses its connection. */
      const run = (): Stream.Stream<RecordedEvent.RecordedEvent, EventStore.ReadError> =>
        Stream.suspend(() => {
          const from: EventStore.SubscribeOptions = { ...options, after }
          return subscribe(remaining === undefined ? from : { ...from, maxCount: remaining })
        }).pipe(
          Stream.tap((event) =>
            Effect.sync(() => {
              after = event.position
              failures = 0
              if (remaining !== undefined) remaining--
            })
          ),
          Stream.concat(
            Stream.execute(
              Effect.sync(() => {
                finished = true
              })
            )
          ),
          Stream.catchAll((error) => {
            if (!isConnectionLost(error)) return Stream.fail(error)
            failures++
            const log =
              failures === 1
                ? Effect.logWarning(
                    "Chronicle subscription lost its connection to PostgreSQL; resuming when it is back"
                  )
                : Effect.logDebug("Chronicle subscription still waiting for PostgreSQL")
            return Stream.execute(
              Effect.zipRight(
                log.pipe(Effect.annotateLogs({ after: Position.format(after), cause: error.message })),
                sleepLive(backoff(failures))
              )
            )
          })
        )
      // Runs one after the other (not nested), so a long outage costs no memory.
      const runs = Stream.repeatEffectOption(
        Effect.suspend(() => (finished ? Effect.fail(Option.none()) : Effect.succeed(run())))
      )
      return Stream.flatten(runs)
    })
