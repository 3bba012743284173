import { EventStore, type RecordedEvent } from "@chronicle/core"
import { StorageEngine } from "@chronicle/core/engine"
import { InMemoryEventStore } from "@chronicle/store-memory"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Either, Fiber, Stream } from "effect"

/**
 * An event store over the in-memory engine that records each page the engine is asked for and how many events it
 * returned: what a read costs in round trips to the storage.
 */
const spied = () => {
  const engine = InMemoryEventStore.makeEngine()
  const calls: Array<{ readonly limit: number; readonly rows: number }> = []
  const spying: typeof engine = {
    ...engine,
    readStream: (streamId, range) =>
      Effect.tap(engine.readStream(streamId, range), (page) =>
        Effect.sync(() => calls.push({ limit: range.limit, rows: page.length }))
      ),
    readAll: (after, limit) =>
      Effect.tap(engine.readAll(after, limit), (page) => Effect.sync(() => calls.push({ limit, rows: page.length })))
  }
  const store = StorageEngine.toEventStore(spying)
  const take = () => calls.splice(0)
  return { store, take }
}

const events = (n: number) => Array.from({ length: n }, (_, i) => ({ type: "Numbered", data: { i: i + 1 } }))
const versions = (read: ReadonlyArray<RecordedEvent.RecordedEvent>) => read.map((event) => event.version)
const collect = <A, E>(stream: Stream.Stream<A, E>) => Effect.map(Stream.runCollect(stream), Chunk.toReadonlyArray)

describe("EventStore paging", () => {
  it.effect("reads take one engine call per page of the default size", () =>
    Effect.gen(function* () {
      const { store, take } = spied()
      const id = `paging-${crypto.randomUUID()}`
      yield* store.append(id, events(EventStore.defaultPageSize + 1))
      take()
      assert.lengthOf(yield* collect(store.readStream(id)), EventStore.defaultPageSize + 1)
      assert.deepStrictEqual(take(), [
        { limit: EventStore.defaultPageSize, rows: EventStore.defaultPageSize },
        { limit: EventStore.defaultPageSize, rows: 1 }
      ])
      assert.lengthOf(yield* collect(store.readAll()), EventStore.defaultPageSize + 1)
      assert.deepStrictEqual(take(), [
        { limit: EventStore.defaultPageSize, rows: EventStore.defaultPageSize },
        { limit: EventStore.defaultPageSize, rows: 1 }
      ])
      const folded = yield* store.foldStream(id, 0, (n, page) => Either.right(n + page.length))
      assert.strictEqual(folded, EventStore.defaultPageSize + 1)
      assert.strictEqual(take().length, 2)
    })
  )

  it.effect("a page size is honoured, and a read stops at a short page without asking for another", () =>
    Effect.gen(function* () {
      const { store, take } = spied()
      const id = `paging-${crypto.randomUUID()}`
      yield* store.append(id, events(5))
      take()
      assert.deepStrictEqual(versions(yield* collect(store.readStream(id, { pageSize: 2 }))), [1, 2, 3, 4, 5])
      assert.deepStrictEqual(take(), [
        { limit: 2, rows: 2 },
        { limit: 2, rows: 2 },
        { limit: 2, rows: 1 }
      ])
      assert.lengthOf(yield* collect(store.readAll({ pageSize: 2 })), 5)
      assert.deepStrictEqual(take(), [
        { limit: 2, rows: 2 },
        { limit: 2, rows: 2 },
        { limit: 2, rows: 1 }
      ])
    })
  )

  it.effect("maxCount caps the last page's limit and ends the read without a further call", () =>
    Effect.gen(function* () {
      const { store, take } = spied()
      const id = `paging-${crypto.randomUUID()}`
      yield* store.append(id, events(5))
      take()
      assert.deepStrictEqual(versions(yield* collect(store.readStream(id, { pageSize: 2, maxCount: 3 }))), [1, 2, 3])
      assert.deepStrictEqual(take(), [
        { limit: 2, rows: 2 },
        { limit: 1, rows: 1 }
      ])
      assert.lengthOf(yield* collect(store.readAll({ pageSize: 2, maxCount: 4 })), 4)
      assert.deepStrictEqual(take(), [
        { limit: 2, rows: 2 },
        { limit: 2, rows: 2 }
      ])
    })
  )

  it.effect("a read range ends at `to`: forward and backward, without reading past it", () =>
    Effect.gen(function* () {
      const { store, take } = spied()
      const id = `paging-${crypto.randomUUID()}`
      yield* store.append(id, events(6))
      take()
      assert.deepStrictEqual(
        versions(yield* collect(store.readStream(id, { from: 2, to: 5, pageSize: 2 }))),
        [2, 3, 4, 5]
      )
      assert.strictEqual(take().length, 2)
      const backward = yield* collect(store.readStream(id, { direction: "backward", from: 5, to: 2, pageSize: 2 }))
      assert.deepStrictEqual(versions(backward), [5, 4, 3, 2])
      assert.strictEqual(take().length, 2)
      assert.deepStrictEqual(versions(yield* collect(store.readStream(id, { from: 5, to: 5 }))), [5])
      assert.deepStrictEqual(
        versions(yield* collect(store.readStream(id, { direction: "backward", from: 3, to: 3 }))),
        [3]
      )
      assert.deepStrictEqual(versions(yield* collect(store.readStream(id, { from: 6, to: 5 }))), [])
      assert.strictEqual(take().length, 2)
    })
  )

  it.effect("folding a stream that has no events never calls the step", () =>
    Effect.gen(function* () {
      const { store } = spied()
      let steps = 0
      const folded = yield* store.foldStream(`paging-${crypto.randomUUID()}`, "initial", (state) => {
        steps++
        return Either.right(`${state}+`)
      })
      assert.deepStrictEqual([folded, steps], ["initial", 0])
    })
  )

  it.live("a subscriber at the head waits for the next append instead of reading again and again", () =>
    Effect.gen(function* () {
      const { store, take } = spied()
      const id = `paging-${crypto.randomUUID()}`
      yield* store.append(id, events(2))
      const fiber = yield* Effect.fork(collect(store.subscribe({ pageSize: 2, maxCount: 3 })))
      yield* Effect.sleep("100 millis")
      // A full page, then the short (empty) page that finds the head; then it waits.
      assert.deepStrictEqual(take(), [
        { limit: 2, rows: 2 },
        { limit: 2, rows: 0 }
      ])
      yield* store.append(id, events(1))
      assert.deepStrictEqual(versions(yield* Fiber.join(fiber)), [1, 2, 3])
      assert.deepStrictEqual(take(), [{ limit: 2, rows: 1 }])
    })
  )
})
