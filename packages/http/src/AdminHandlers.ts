/**
 * The handlers of what operators look at: the store's totals, the checkpoints with their lag (the events after each,
 * counted by the store), and the deciders registered for time travel.
 *
 * @since 0.1.0
 */
import { CheckpointStore, Position, StoreAdmin } from "@chronicle/core"
import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { ChronicleApi } from "./ChronicleApi.js"
import type * as Deciders from "./Deciders.js"
import * as Problem from "./Problem.js"

/**
 * The admin handlers, over the store's `StoreAdmin` and `CheckpointStore`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (deciders: ReadonlyArray<Deciders.Registration>) =>
  HttpApiBuilder.group(ChronicleApi, "admin", (handlers) =>
    Effect.gen(function* () {
      const admin = yield* StoreAdmin.StoreAdmin
      const checkpoints = yield* CheckpointStore.CheckpointStore
      return handlers
        .handle("stats", () =>
          Effect.mapBoth(admin.stats, {
            onFailure: Problem.fromRead,
            onSuccess: (s) => ({
              events: s.events,
              streams: s.streams,
              head: Position.format(s.head),
              firstRecordedAt: s.firstRecordedAt?.toISOString() ?? null,
              lastRecordedAt: s.lastRecordedAt?.toISOString() ?? null,
              eventTypes: s.eventTypes.map((t) => ({ type: t.type, count: t.count })),
              sizeBytes: s.size._tag === "Known" ? s.size.bytes : null
            })
          })
        )
        .handle("checkpoints", () =>
          checkpoints.list.pipe(
            Effect.flatMap((list) =>
              Effect.forEach(list, (c) =>
                Effect.map(admin.countAfter(c.position), (lag) => ({
                  name: c.name,
                  position: Position.format(c.position),
                  lag
                }))
              )
            ),
            Effect.mapError(Problem.fromRead)
          )
        )
        .handle("deciders", () => Effect.succeed(deciders.map((d) => ({ name: d.name, streamPrefix: d.streamPrefix }))))
    })
  )
