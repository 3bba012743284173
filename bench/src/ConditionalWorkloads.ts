/**
 * The workloads of conditional appends and filtered reads (reads by query, conditions on them), on Chronicle's stores:
 *
 * - `append-conditional`: 50 fibers, each appending single events to its own stream, tagged with a tag of its own and
 *   conditioned on no event with that tag after its last append (disjoint conditions: none waits for another);
 * - `append-conditional-hot`: 50 fibers on one tag: each reads what the tag gained since it last looked (the marker),
 *   appends conditioned on nothing after it, and reads and tries again when another writer got there first;
 * - `read-tag`: a read by one tag among 100 tags (1% of the stored events): events per second of matching events.
 *
 * @since 0.1.0
 */
import { BankAccount } from "@chronicle/bank-account"
import { EventCodec, EventStore, Position, Query } from "@chronicle/core"
import { Effect, Stream } from "effect"
import * as Seed from "./Seed.js"
import type { Params } from "./Workload.js"

const noSetup = (_params: Params) => Effect.void

/** The tag of a writer, or of a stream of the seed. */
const tagOf = (n: number | string) => `bench:${n}`

/** Appends one deposit under a condition on `query`; the new position of the writer's view. */
const appendUnder = (streamId: string, version: number, query: Query.Query, after: Position.Position, tag: string) =>
  Effect.gen(function* () {
    const events = yield* BankAccount.codec.encodeAll(Seed.deposits(version, 1))
    return yield* EventStore.append(
      streamId,
      events.map((event) => ({ ...event, tags: [tag] })),
      { condition: { failIfEventsMatch: query, after } }
    )
  })

/** Runs `params.streams` writers at once; the events they wrote. */
const everyWriter = <E, R>(params: Params, perWriter: number, writer: (n: number) => Effect.Effect<unknown, E, R>) =>
  Effect.as(
    Effect.forEach(
      Array.from({ length: params.streams }, (_, n) => n),
      writer,
      { concurrency: "unbounded", discard: true }
    ),
    perWriter * params.streams
  )

/** 50 writers on tags of their own, each conditioned on its own tag after its last append. */
const disjoint = (params: Params) =>
  Effect.gen(function* () {
    const perWriter = Math.ceil(params.events / params.streams)
    const writer = (n: number) =>
      Effect.gen(function* () {
        const tag = tagOf(n)
        const query = Query.item({ tags: [tag] })
        let after = Position.start
        for (let i = 0; i < perWriter; i++) {
          const result = yield* appendUnder(Seed.accountStream(n), i, query, after, tag)
          after = result.positions[0]!
        }
      })
    return yield* everyWriter(params, perWriter, writer)
  })

/** 50 writers on one tag: read what it gained, append under the marker, on a failed condition read and try again. */
const hot = (params: Params) =>
  Effect.gen(function* () {
    const perWriter = Math.ceil(params.events / params.streams)
    const tag = tagOf("hot")
    const query = Query.item({ tags: [tag] })
    const writer = (n: number) =>
      Effect.gen(function* () {
        let seen = Position.start
        for (let i = 0; i < perWriter; ) {
          const { marker } = yield* EventStore.read(query, { after: seen })
          seen = marker
          const written = yield* Effect.either(appendUnder(Seed.accountStream(n), i, query, marker, tag))
          if (written._tag === "Right") i++
          else if (written.left._tag !== "AppendConditionFailed") return yield* Effect.fail(written.left)
        }
      })
    return yield* everyWriter(params, perWriter, writer)
  })

/** `background` events round-robin over `streams` streams, each event tagged with its stream's tag. */
const storeTagged = (params: Params) =>
  Effect.gen(function* () {
    if (Position.isAfter(yield* EventStore.headPosition, Position.start)) return
    const store = yield* EventStore.EventStore
    for (const append of Seed.plan({ ...params, events: params.background }, false)) {
      const events = yield* BankAccount.codec.encodeAll(append.events)
      yield* store.append(
        append.streamId,
        events.map((event) => ({ ...event, tags: [tagOf(append.streamId)] }))
      )
    }
  })

/** Reads the first stream's tag `passes` times, decoded; every read must find exactly its stream's events. */
const readTag = (params: Params) =>
  Effect.gen(function* () {
    const matching = params.background / params.streams
    const query = Query.item({ tags: [tagOf(Seed.accountStream(0))] })
    let total = 0
    for (let pass = 0; pass < params.passes; pass++) {
      const { events } = yield* EventStore.read(query)
      const count = yield* Stream.runCount(events.pipe(EventCodec.decodeStream(BankAccount.codec)))
      if (count !== matching) return yield* Effect.dieMessage(`read-tag: read ${count} events, expected ${matching}`)
      total += count
    }
    return total
  })

/**
 * The workloads, on the `EventStore` in context.
 *
 * @since 0.1.0
 * @category constants
 */
export const workloads: Readonly<
  Record<
    "append-conditional" | "append-conditional-hot" | "read-tag",
    {
      readonly setup: (params: Params) => Effect.Effect<void, unknown, EventStore.EventStore>
      readonly run: (params: Params) => Effect.Effect<number, unknown, EventStore.EventStore>
    }
  >
> = {
  "append-conditional": { setup: noSetup, run: disjoint },
  "append-conditional-hot": { setup: noSetup, run: hot },
  "read-tag": { setup: storeTagged, run: readTag }
}
