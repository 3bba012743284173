/**
 * The handlers of the global order: a page after a position, and the live feed as Server-Sent Events. Each event's
 * SSE `id` is its position, and a subscription resumes after `Last-Event-ID` (or `?after`): the store's `subscribe`
 * catches up from there and then follows commits, so a client that reconnects misses nothing and sees nothing twice.
 *
 * @since 0.1.0
 */
import { EventStore, Position } from "@chronicle/core"
import { HttpApiBuilder, HttpServerResponse } from "@effect/platform"
import { Chunk, Effect, Schedule, Stream } from "effect"
import * as ApiModel from "./ApiModel.js"
import { ChronicleApi } from "./ChronicleApi.js"
import * as Problem from "./Problem.js"

/** A page of the global order when the query names no limit. */
const defaultPage = 100

/** How often a quiet live feed sends a comment, so proxies and clients keep the connection. */
const heartbeat = "15 seconds"

/** A position from a query or header, or a 400 naming where it came from. */
export const positionOf = (
  where: string,
  text: string | undefined
): Effect.Effect<Position.Position, Problem.BadRequest> => {
  if (text === undefined || text === "") return Effect.succeed(Position.start)
  const position = Position.parse(text)
  return position === undefined
    ? Effect.fail(
        new Problem.BadRequest({
          detail: `${where} ${JSON.stringify(text.slice(0, 60))} is not a position: a whole number (42) or two joined by ":" (7781:42)`
        })
      )
    : Effect.succeed(position)
}

/**
 * The global order's handlers, over the store's `EventStore`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = HttpApiBuilder.group(ChronicleApi, "events", (handlers) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    return handlers
      .handle("readAll", ({ urlParams }) =>
        Effect.gen(function* () {
          const after = yield* positionOf("after", urlParams.after)
          const limit = urlParams.limit ?? defaultPage
          const events = yield* store
            .readAll({ after, maxCount: limit })
            .pipe(Stream.runCollect, Effect.mapError(Problem.fromRead), Effect.map(Chunk.toReadonlyArray))
          const head = yield* Effect.mapError(store.headPosition, Problem.fromRead)
          const last = events[events.length - 1]
          return {
            events: events.map(ApiModel.eventOf),
            next: last !== undefined && events.length === limit ? Position.format(last.position) : null,
            head: Position.format(head)
          }
        })
      )
      .handle("live", ({ urlParams, headers }) =>
        Effect.gen(function* () {
          const resume = headers["last-event-id"]
          const after = yield* resume !== undefined
            ? positionOf("Last-Event-ID", resume)
            : positionOf("after", urlParams.after)
          const events = store.subscribe({ after }).pipe(
            Stream.map(
              (event) => `id: ${Position.format(event.position)}\ndata: ${JSON.stringify(ApiModel.eventOf(event))}\n\n`
            ),
            Stream.catchAll((error) => Stream.make(`event: error\ndata: ${JSON.stringify(error.message)}\n\n`))
          )
          const beats = Stream.fromSchedule(Schedule.spaced(heartbeat)).pipe(Stream.as(": heartbeat\n\n"))
          const body = Stream.make("retry: 1000\n: live\n\n").pipe(
            Stream.concat(Stream.merge(events, beats, { haltStrategy: "left" })),
            Stream.encodeText
          )
          return HttpServerResponse.stream(body, {
            contentType: "text/event-stream",
            headers: { "cache-control": "no-cache", "x-accel-buffering": "no" }
          })
        })
      )
  })
)
