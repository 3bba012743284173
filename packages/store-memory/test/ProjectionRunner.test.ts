import { CheckpointStore, EventCodec, EventStore, Position, Projection, ProjectionRunner } from "@chronicle/core"
import { InMemoryCheckpointStore, InMemoryEventStore } from "@chronicle/store-memory"
import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Fiber, Layer, Ref, Schema, TestClock } from "effect"

// Each test runs on a store of its own, so the figures it checks (events processed, pages) are its events alone.
const stores = Layer.mergeAll(InMemoryEventStore.layer, InMemoryCheckpointStore.layer)

const Counted = Schema.TaggedStruct("Counted", { n: Schema.Number })
const codec = EventCodec.make(Counted)
const counted = (n: number) => Array.from({ length: n }, (_, i) => ({ type: "Counted", data: { n: i + 1 } }))
const unrelated = (n: number) => Array.from({ length: n }, (_, i) => ({ type: "Unrelated", data: { i } }))

/** A projection that records each batch of events it is given (the numbers `n`). */
const recording = Effect.gen(function* () {
  const batches = yield* Ref.make<ReadonlyArray<ReadonlyArray<number>>>([])
  const projection = Projection.make({
    name: `runner-${crypto.randomUUID()}`,
    codec,
    apply: (events) => Ref.update(batches, (all) => [...all, events.map((event) => event.data.n)]),
    reset: Ref.set(batches, [])
  })
  return { projection, batches: Ref.get(batches) }
})

describe("ProjectionRunner", () => {
  it.effect("an in-memory projection starting `from` a position folds only the events after it", () =>
    Effect.gen(function* () {
      const appended = yield* EventStore.append(`from-${crypto.randomUUID()}`, counted(5))
      const { model, projection } = yield* Projection.inMemory({
        name: `from-${crypto.randomUUID()}`,
        codec,
        from: appended.positions[2]!,
        initial: [] as ReadonlyArray<number>,
        apply: (seen, event) => [...seen, event.data.n]
      })
      const done = yield* ProjectionRunner.catchUp(projection)
      assert.deepStrictEqual(yield* model, [4, 5])
      assert.strictEqual(done.processed, 2)
    }).pipe(Effect.provide(stores))
  )

  it.effect("reports progress after each page: position, head, events processed and their rate", () =>
    Effect.gen(function* () {
      const { projection } = yield* recording
      const appended = yield* EventStore.append(`progress-${crypto.randomUUID()}`, counted(5))
      const reports: Array<ProjectionRunner.Progress> = []
      const done = yield* ProjectionRunner.catchUp(projection, {
        pageSize: 2,
        // Half a second passes with each page.
        onProgress: (progress) =>
          Effect.zipRight(
            Effect.sync(() => reports.push(progress)),
            TestClock.adjust(500)
          )
      })
      const head = appended.positions[4]!
      assert.deepStrictEqual(
        reports.map(({ position, head, processed, eventsPerSecond }) => ({
          position,
          head,
          processed,
          eventsPerSecond
        })),
        [
          { position: appended.positions[1]!, head, processed: 2, eventsPerSecond: 0 },
          { position: appended.positions[3]!, head, processed: 4, eventsPerSecond: 8 },
          { position: head, head, processed: 5, eventsPerSecond: 5 }
        ]
      )
      assert.deepStrictEqual(done, { name: projection.name, position: head, head, processed: 5, eventsPerSecond: 3 })
    }).pipe(Effect.provide(stores))
  )

  it.effect("progress counts every event read, those of types the projection does not read included", () =>
    Effect.gen(function* () {
      const { projection, batches } = yield* recording
      const id = `mixed-${crypto.randomUUID()}`
      yield* EventStore.append(id, unrelated(3))
      const appended = yield* EventStore.append(id, counted(1))
      yield* TestClock.adjust(2000)
      const done = yield* ProjectionRunner.catchUp(projection)
      assert.deepStrictEqual(yield* batches, [[1]])
      assert.strictEqual(done.processed, 4)
      assert.strictEqual(done.eventsPerSecond, 0)
      assert.deepStrictEqual(done.position, appended.positions[0]!)
    }).pipe(Effect.provide(stores))
  )

  it.effect("a page of events the projection does not read moves its checkpoint past them, applying nothing", () =>
    Effect.gen(function* () {
      const { projection, batches } = yield* recording
      const appended = yield* EventStore.append(`skipped-${crypto.randomUUID()}`, unrelated(3))
      const pages: Array<Position.Position> = []
      const done = yield* ProjectionRunner.catchUp(projection, {
        pageSize: 2,
        onProgress: (progress) => Effect.sync(() => pages.push(progress.position))
      })
      assert.deepStrictEqual(yield* batches, [])
      assert.deepStrictEqual(pages, [appended.positions[1]!, appended.positions[2]!])
      assert.deepStrictEqual(done.position, appended.positions[2]!)
      const checkpoints = yield* CheckpointStore.CheckpointStore
      assert.deepStrictEqual(yield* checkpoints.load(projection.name), appended.positions[2]!)
    }).pipe(Effect.provide(stores))
  )

  it.effect("catching up on an empty store commits nothing and reports no progress", () =>
    Effect.gen(function* () {
      const { projection } = yield* recording
      let reports = 0
      const done = yield* ProjectionRunner.catchUp(projection, { onProgress: () => Effect.sync(() => reports++) })
      assert.strictEqual(reports, 0)
      assert.deepStrictEqual(done, {
        name: projection.name,
        position: Position.start,
        head: Position.start,
        processed: 0,
        eventsPerSecond: 0
      })
    }).pipe(Effect.provide(stores))
  )

  it.live("run resumes after its checkpoint, waits through empty pages at the head, and keeps its page size", () =>
    Effect.gen(function* () {
      const { projection, batches } = yield* recording
      const id = `live-${crypto.randomUUID()}`
      yield* EventStore.append(id, counted(2))
      yield* ProjectionRunner.catchUp(projection)
      const applied = yield* Deferred.make<void>()
      const fiber = yield* Effect.fork(
        ProjectionRunner.run(projection, {
          pageSize: 1,
          onProgress: (progress) => (progress.processed === 2 ? Deferred.succeed(applied, undefined) : Effect.void)
        })
      )
      // Time enough to read the empty page at the head and wait there.
      yield* Effect.sleep("50 millis")
      yield* EventStore.append(id, counted(2))
      // A runner that failed on the empty page ends the race with its failure.
      yield* Effect.raceFirst(Deferred.await(applied), Fiber.join(fiber))
      assert.deepStrictEqual(yield* batches, [[1, 2], [1], [2]])
      yield* Fiber.interrupt(fiber)
    }).pipe(Effect.provide(stores))
  )

  it.effect("rebuild resets the checkpoint a projection keeps itself, not the shared store's", () =>
    Effect.gen(function* () {
      const { projection, batches } = yield* recording
      const own = yield* CheckpointStore.makeInMemory()
      const mine = Projection.make({ ...projection, checkpoints: own })
      yield* EventStore.append(`own-${crypto.randomUUID()}`, counted(3))
      yield* ProjectionRunner.catchUp(mine)
      const done = yield* ProjectionRunner.rebuild(mine, { pageSize: 2 })
      assert.deepStrictEqual(yield* batches, [[1, 2], [3]])
      assert.strictEqual(done.processed, 3)
      assert.deepStrictEqual(yield* own.load(projection.name), done.position)
      const shared = yield* CheckpointStore.CheckpointStore
      assert.deepStrictEqual(yield* shared.list, [])
    }).pipe(Effect.provide(stores))
  )
})
