import { EventStore, Position } from "@chronicle/core"
import { assert, type Vitest } from "@effect/vitest"
import { Array as Arr, Chunk, Deferred, Effect, Fiber, Stream } from "effect"
import { increasing, increments, uniqueStream } from "./fixtures.js"

type It = Vitest.MethodsNonLive<EventStore.EventStore>

/** Subscriptions: catch up from a position, then go live with no gap and no duplicate. */
export const subscribeCases = (it: It) => {
  it.effect("subscribe catches up, then receives live events with no gap and no duplicate", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const id = uniqueStream("subscribe")
      const start = yield* store.headPosition
      yield* EventStore.append(id, increments(5, 1))
      const caughtUp = yield* Deferred.make<void>()
      const fiber = yield* store.subscribe({ after: start, pageSize: 2 }).pipe(
        Stream.filter((e) => e.streamId === id),
        Stream.tap((e) => (e.version === 5 ? Deferred.succeed(caughtUp, undefined) : Effect.void)),
        Stream.take(15),
        Stream.runCollect,
        Effect.fork
      )
      yield* Deferred.await(caughtUp)
      for (let i = 0; i < 5; i++) {
        yield* EventStore.append(id, increments(2, 6 + i * 2))
        yield* Effect.yieldNow()
      }
      const received = Chunk.toReadonlyArray(yield* Fiber.join(fiber))
      assert.deepStrictEqual(
        received.map((e) => e.version),
        Array.from({ length: 15 }, (_, i) => i + 1)
      )
      assert.deepStrictEqual(
        received.map((e) => (e.data as { by: number }).by),
        Array.from({ length: 15 }, (_, i) => i + 1)
      )
      assert.isTrue(increasing([start, ...received.map((e) => e.position)]))
    })
  )

  it.effect("a subscription started at the head wakes on the next append", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const id = uniqueStream("live")
      const head = yield* store.headPosition
      const fiber = yield* store.subscribe({ after: head }).pipe(
        Stream.filter((e) => e.streamId === id),
        Stream.take(1),
        Stream.runCollect,
        Effect.fork
      )
      // Let the subscriber reach the head and wait there, so this proves the append wakes it.
      for (let i = 0; i < 50; i++) yield* Effect.yieldNow()
      yield* EventStore.append(id, increments(1, 42))
      const [event] = Chunk.toReadonlyArray(yield* Fiber.join(fiber))
      assert.strictEqual(event?.streamId, id)
      assert.deepStrictEqual(event?.data, { by: 42 })
      assert.isTrue(Position.isAfter(event!.position, head))
    })
  )

  it.effect("several subscribers each see every event once, in order", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const id = uniqueStream("fan-out")
      const head = yield* store.headPosition
      const subscriber = store.subscribe({ after: head, pageSize: 3 }).pipe(
        Stream.filter((e) => e.streamId === id),
        Stream.take(20),
        Stream.runCollect,
        Effect.map((c) => Chunk.toReadonlyArray(c).map((e) => e.version))
      )
      const fibers = yield* Effect.all([subscriber, subscriber, subscriber].map(Effect.fork))
      const writers = Array.from({ length: 20 }, (_, i) => EventStore.append(id, increments(1, i)))
      yield* Effect.all(writers, { concurrency: 4 })
      for (const fiber of fibers) {
        assert.deepStrictEqual(
          yield* Fiber.join(fiber),
          Array.from({ length: 20 }, (_, i) => i + 1)
        )
      }
    })
  )

  it.effect("a subscriber reading while many streams are written sees every event once, in position order", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const head = yield* store.headPosition
      const streams = Array.from({ length: 10 }, (_, i) => uniqueStream(`readers-${i}`))
      const mine = new Set(streams)
      const reader = yield* store.subscribe({ after: head, pageSize: 7 }).pipe(
        Stream.filter((e) => mine.has(e.streamId)),
        Stream.take(100),
        Stream.runCollect,
        Effect.fork
      )
      const results = yield* Effect.all(
        streams.flatMap((id) => Array.from({ length: 10 }, (_, n) => EventStore.append(id, increments(1, n)))),
        { concurrency: "unbounded" }
      )
      const read = Chunk.toReadonlyArray(yield* Fiber.join(reader))
      const positions = read.map((e) => e.position)
      assert.isTrue(increasing([head, ...positions]))
      assert.deepStrictEqual(
        positions.map(Position.format),
        Arr.sort(
          results.flatMap((r) => r.positions),
          Position.Order
        ).map(Position.format)
      )
    })
  )

  it.effect("subscribe ends after maxCount events", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const id = uniqueStream("sub-max")
      const head = yield* store.headPosition
      yield* EventStore.append(id, increments(3))
      const read = yield* Stream.runCollect(store.subscribe({ after: head, maxCount: 2 }))
      assert.strictEqual(read.length, 2)
    })
  )
}
