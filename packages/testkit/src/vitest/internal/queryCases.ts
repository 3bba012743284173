import { EventStore, Position, Query, type RecordedEvent } from "@chronicle/core"
import { assert, type Vitest } from "@effect/vitest"
import { Chunk, Deferred, Effect, Fiber, Stream } from "effect"
import { increasing, readAllFrom, readStreamAll, uniqueStream } from "./fixtures.js"

type It = Vitest.MethodsNonLive<EventStore.EventStore>

/** A tag no other test uses. */
export const uniqueTag = (label: string): string => `${label}:${crypto.randomUUID()}`

/** The events a query read returns, and its marker. */
export const readQuery = (
  query: Query.Query,
  options?: EventStore.ReadOptions
): Effect.Effect<
  { readonly events: ReadonlyArray<RecordedEvent.RecordedEvent>; readonly marker: Position.Position },
  EventStore.ReadError,
  EventStore.EventStore
> =>
  Effect.flatMap(EventStore.read(query, options), ({ events, marker }) =>
    Effect.map(Stream.runCollect(events), (events) => ({ events: Chunk.toReadonlyArray(events), marker }))
  )

/** Tags on events; reads by query with their consistency marker; reads and subscriptions by query and category. */
export const queryCases = (it: It) => {
  it.effect("tags are stored and read back with the event; an event without tags has none", () =>
    Effect.gen(function* () {
      const id = uniqueStream("tags")
      const tag = uniqueTag("account")
      yield* EventStore.append(id, [
        { type: "Noted", data: { text: "a" }, tags: [tag, "customer:7"] },
        { type: "Noted", data: { text: "b" } }
      ])
      const events = yield* readStreamAll(id)
      assert.deepStrictEqual(
        events.map((e) => e.tags),
        [[tag, "customer:7"], []]
      )
    })
  )

  it.effect("invalid tags are refused with InvalidEvent and nothing is written", () =>
    Effect.gen(function* () {
      const id = uniqueStream("bad-tags")
      const bad: ReadonlyArray<unknown> = [
        [""],
        ["a", "a"],
        ["\uD800x"],
        ["x".repeat(257)],
        Array.from({ length: 33 }, (_, i) => `t${i}`),
        "not-an-array",
        [42]
      ]
      for (const tags of bad) {
        const error = yield* Effect.flip(
          EventStore.append(id, [
            { type: "Noted", data: { text: "ok" } },
            { type: "Noted", data: { text: "bad" }, tags: tags as ReadonlyArray<string> }
          ])
        )
        assert.strictEqual(error._tag, "InvalidEvent", JSON.stringify(tags))
      }
      assert.strictEqual(yield* EventStore.streamVersion(id), 0)
    })
  )

  it.effect("a query reads its items joined by OR (types any of, tags all of), in global order", () =>
    Effect.gen(function* () {
      const a = uniqueTag("a")
      const b = uniqueTag("b")
      const type = `Typed-${crypto.randomUUID()}`
      const id = uniqueStream("query")
      const start = yield* EventStore.headPosition
      yield* EventStore.append(id, [
        { type: "Noted", data: { n: 1 }, tags: [a] },
        { type: "Noted", data: { n: 2 }, tags: [a, b] },
        { type: "Other", data: { n: 3 }, tags: [a, b] },
        { type, data: { n: 4 } },
        { type: "Noted", data: { n: 5 }, tags: [b] }
      ])
      const numbers = (query: Query.Query, options?: EventStore.ReadOptions) =>
        Effect.map(readQuery(query, options), ({ events }) => events.map((e) => (e.data as { n: number }).n))
      assert.deepStrictEqual(yield* numbers(Query.item({ tags: [a] })), [1, 2, 3])
      assert.deepStrictEqual(yield* numbers(Query.item({ tags: [a, b] })), [2, 3])
      assert.deepStrictEqual(yield* numbers(Query.item({ types: ["Noted"], tags: [a, b] })), [2])
      assert.deepStrictEqual(yield* numbers(Query.item({ types: ["Other", "Noted"], tags: [b] })), [2, 3, 5])
      assert.deepStrictEqual(
        yield* numbers(Query.items([{ types: [type] }, { tags: [b], types: ["Noted"] }])),
        [2, 4, 5]
      )
      assert.deepStrictEqual(
        yield* numbers(Query.items([{ types: [type] }, { tags: [a] }]), { pageSize: 1 }),
        [1, 2, 3, 4]
      )
      assert.deepStrictEqual(yield* numbers(Query.none), [])
      const all = yield* readQuery(Query.all, { after: start })
      const mine = all.events.filter((e) => e.streamId === id)
      assert.deepStrictEqual(
        mine.map((e) => e.version),
        [1, 2, 3, 4, 5]
      )
      assert.isTrue(increasing(all.events.map((e) => e.position)))
      const { events, marker } = yield* readQuery(Query.item({ tags: [a] }), { after: mine[1]!.position })
      assert.deepStrictEqual(
        events.map((e) => e.version),
        [3]
      )
      assert.isFalse(Position.isBefore(marker, mine[4]!.position))
    })
  )

  it.effect("the marker is taken before reading: returned when nothing matched, and bounds the read", () =>
    Effect.gen(function* () {
      const tag = uniqueTag("marker")
      const id = uniqueStream("marker")
      const before = yield* EventStore.headPosition
      const empty = yield* readQuery(Query.item({ tags: [tag] }))
      assert.deepStrictEqual(empty.events, [])
      assert.isFalse(Position.isBefore(empty.marker, before))
      const first = yield* EventStore.append(id, [{ type: "Noted", data: {}, tags: [tag] }])
      const read = yield* EventStore.read(Query.item({ tags: [tag] }))
      assert.isFalse(Position.isBefore(read.marker, first.positions[0]!))
      yield* EventStore.append(id, [{ type: "Noted", data: {}, tags: [tag] }])
      const events = Chunk.toReadonlyArray(yield* Stream.runCollect(read.events))
      assert.deepStrictEqual(
        events.map((e) => e.version),
        [1]
      )
    })
  )

  it.effect("a query or a category that is not one is InvalidArgument", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const errors = [
        yield* Effect.flip(store.read({ _tag: "Query", items: [{ tags: [""] }] })),
        yield* Effect.flip(store.read({ _tag: "Query", items: [{ types: "Noted" as never }] })),
        yield* Effect.flip(store.read("all" as never)),
        yield* Effect.flip(Stream.runDrain(store.readAll({ query: Query.all, category: "x-" }))),
        yield* Effect.flip(Stream.runDrain(store.readAll({ category: "" })))
      ]
      assert.deepStrictEqual(
        errors.map((e) => e._tag),
        ["InvalidArgument", "InvalidArgument", "InvalidArgument", "InvalidArgument", "InvalidArgument"]
      )
    })
  )

  it.effect("readAll by query and by category returns only matching events, in global order, in pages", () =>
    Effect.gen(function* () {
      const category = `Cat${crypto.randomUUID().slice(0, 8)}-`
      const tag = uniqueTag("filter")
      const start = yield* EventStore.headPosition
      for (let i = 0; i < 3; i++) {
        yield* EventStore.append(`${category}${i}`, [{ type: "Noted", data: { i }, tags: i === 1 ? [] : [tag] }])
        yield* EventStore.append(uniqueStream("noise"), [{ type: "Noted", data: { i } }])
      }
      const byCategory = yield* readAllFrom({ after: start, category, pageSize: 1 })
      assert.deepStrictEqual(
        byCategory.map((e) => e.streamId),
        [`${category}0`, `${category}1`, `${category}2`]
      )
      const byTag = yield* readAllFrom({ query: Query.item({ tags: [tag] }), pageSize: 1 })
      assert.deepStrictEqual(
        byTag.map((e) => e.streamId),
        [`${category}0`, `${category}2`]
      )
      assert.isTrue(increasing(byCategory.map((e) => e.position)))
    })
  )

  it.effect("subscribe by query catches up, then receives only matching live events", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const tag = uniqueTag("live")
      const id = uniqueStream("live")
      yield* EventStore.append(id, [{ type: "Noted", data: { n: 1 }, tags: [tag] }])
      const caughtUp = yield* Deferred.make<void>()
      const fiber = yield* store.subscribe({ query: Query.item({ tags: [tag] }), pageSize: 2 }).pipe(
        Stream.tap(() => Deferred.succeed(caughtUp, undefined)),
        Stream.take(4),
        Stream.runCollect,
        Effect.fork
      )
      yield* Deferred.await(caughtUp)
      for (let n = 2; n <= 7; n++) {
        yield* EventStore.append(id, [{ type: "Noted", data: { n }, tags: n % 2 === 0 ? [tag] : [] }])
        yield* EventStore.append(uniqueStream("noise"), [{ type: "Noted", data: { n } }])
        yield* Effect.yieldNow()
      }
      const received = Chunk.toReadonlyArray(yield* Fiber.join(fiber))
      assert.deepStrictEqual(
        received.map((e) => (e.data as { n: number }).n),
        [1, 2, 4, 6]
      )
    })
  )

  it.effect("subscribe by category follows the category's streams only", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const category = `Sub${crypto.randomUUID().slice(0, 8)}-`
      const start = yield* store.headPosition
      const fiber = yield* store
        .subscribe({ after: start, category })
        .pipe(Stream.take(3), Stream.runCollect, Effect.fork)
      for (let i = 0; i < 3; i++) {
        yield* EventStore.append(uniqueStream("noise"), [{ type: "Noted", data: { i } }])
        yield* EventStore.append(`${category}${i}`, [{ type: "Noted", data: { i } }])
        yield* Effect.yieldNow()
      }
      const received = Chunk.toReadonlyArray(yield* Fiber.join(fiber))
      assert.deepStrictEqual(
        received.map((e) => e.streamId),
        [`${category}0`, `${category}1`, `${category}2`]
      )
    })
  )
}
