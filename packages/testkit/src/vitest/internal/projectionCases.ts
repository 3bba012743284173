import {
  CheckpointStore,
  EventCodec,
  EventStore,
  Position,
  Projection,
  ProjectionRunner,
  type RecordedEvent
} from "@chronicle/core"
import { assert, type Vitest } from "@effect/vitest"
import { Deferred, Effect, Either, Fiber, Ref, Schema } from "effect"
import { codec, farFuture, increasing, increments, uniqueStream } from "./fixtures.js"

type Services = EventStore.EventStore | CheckpointStore.CheckpointStore
type It = Vitest.MethodsNonLive<Services>
type Event = typeof codec extends EventCodec.EventCodec<infer E> ? E : never

class Refused extends Schema.TaggedError<Refused>()("Refused", { by: Schema.Number }) {}

/**
 * A read model of the events of `streams` that keeps its checkpoint in the store under test, starting at the
 * store's current head. It records each event it applies, so applying one twice shows.
 */
const recorder = (streams: ReadonlyArray<string>, options?: { readonly failOn?: (by: number) => boolean }) =>
  Effect.gen(function* () {
    const mine = new Set(streams)
    const name = `recorder-${crypto.randomUUID()}`
    const seen = yield* Ref.make<ReadonlyArray<string>>([])
    const projection = Projection.make({
      name,
      codec,
      apply: (events: ReadonlyArray<RecordedEvent.RecordedEvent<Event>>) =>
        Effect.gen(function* () {
          const labels: Array<string> = []
          for (const event of events) {
            if (!mine.has(event.streamId)) continue
            if (event.data._tag === "Incremented" && options?.failOn?.(event.data.by)) {
              return yield* new Refused({ by: event.data.by })
            }
            labels.push(`${event.streamId}:${event.version}`)
          }
          yield* Ref.update(seen, (all) => [...all, ...labels])
        }),
      reset: Ref.set(seen, [])
    })
    const store = yield* EventStore.EventStore
    const checkpoints = yield* CheckpointStore.CheckpointStore
    yield* checkpoints.commit(name, { from: Position.start, to: yield* store.headPosition }, Effect.void)
    return { name, model: Ref.get(seen), projection }
  })

/** A few milliseconds of real time (the test clock does not move by itself). */
const pause = Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, 3)))

const labels = (stream: string, versions: ReadonlyArray<number>) => versions.map((v) => `${stream}:${v}`)

/** The projection runner over this store's checkpoints: catch-up, failures, live following, rebuilds. */
export const projectionCases = (it: It) => {
  it.effect("catchUp applies each event once, in global order, and stores the checkpoint", () =>
    Effect.gen(function* () {
      const [a, b] = [uniqueStream("proj-a"), uniqueStream("proj-b")]
      const { model, name, projection } = yield* recorder([a, b])
      yield* EventStore.append(a, increments(2))
      const last = yield* EventStore.append(b, increments(1))
      yield* EventStore.append(a, [{ type: "Unrelated", data: { x: 1 } }, ...increments(1)])
      const progress = yield* ProjectionRunner.catchUp(projection, { pageSize: 2 })
      assert.deepStrictEqual(yield* model, [...labels(a, [1, 2]), ...labels(b, [1]), ...labels(a, [4])])
      const checkpoints = yield* CheckpointStore.CheckpointStore
      assert.deepStrictEqual(yield* checkpoints.load(name), progress.position)
      assert.isTrue(Position.isAfter(progress.position, last.positions[0]!))
      const again = yield* ProjectionRunner.catchUp(projection)
      assert.deepStrictEqual(again.position, progress.position)
      assert.strictEqual((yield* model).length, 4)
    })
  )

  it.effect("a failing page stores no checkpoint; the next run resumes there without applying anything twice", () =>
    Effect.gen(function* () {
      const id = uniqueStream("proj-fail")
      let refuse = true
      const { model, name, projection } = yield* recorder([id], { failOn: (by) => refuse && by === 3 })
      const checkpoints = yield* CheckpointStore.CheckpointStore
      const start = yield* checkpoints.load(name)
      const appended = yield* EventStore.append(id, increments(5))
      const failed = yield* Effect.flip(ProjectionRunner.catchUp(projection, { pageSize: 1 }))
      assert.instanceOf(failed, Refused)
      assert.deepStrictEqual(yield* model, labels(id, [1, 2]))
      assert.deepStrictEqual(yield* checkpoints.load(name), appended.positions[1]!)
      assert.isTrue(Position.isAfter(appended.positions[1]!, start))
      refuse = false
      yield* ProjectionRunner.catchUp(projection, { pageSize: 1 })
      assert.deepStrictEqual(yield* model, labels(id, [1, 2, 3, 4, 5]))
    })
  )

  it.effect("an event the projection reads but cannot decode stops it with EventDecodeError", () =>
    Effect.gen(function* () {
      const id = uniqueStream("proj-poison")
      const Poisoned = Schema.TaggedStruct("Poisoned", { dose: Schema.Number })
      const poisonCodec = EventCodec.make(Poisoned)
      const projection = Projection.make({
        name: `poison-${crypto.randomUUID()}`,
        codec: poisonCodec,
        apply: () => Effect.void,
        reset: Effect.void
      })
      const checkpoints = yield* CheckpointStore.CheckpointStore
      const store = yield* EventStore.EventStore
      yield* checkpoints.commit(projection.name, { from: Position.start, to: yield* store.headPosition }, Effect.void)
      yield* EventStore.append(id, [{ type: "Poisoned", data: { dose: "lethal" } }])
      const error = yield* Effect.flip(ProjectionRunner.catchUp(projection))
      assert.strictEqual(error._tag, "EventDecodeError")
      if (error._tag === "EventDecodeError") assert.strictEqual(error.streamId, id)
    })
  )

  it.effect("run catches up, then follows live appends", () =>
    Effect.gen(function* () {
      const id = uniqueStream("proj-live")
      const { model, projection } = yield* recorder([id])
      yield* EventStore.append(id, increments(2))
      const target = yield* Deferred.make<void>()
      let goal = farFuture
      const fiber = yield* Effect.fork(
        ProjectionRunner.run(projection, {
          onProgress: (p) => (Position.isBefore(p.position, goal) ? Effect.void : Deferred.succeed(target, undefined))
        })
      )
      yield* Effect.yieldNow()
      const live = yield* EventStore.append(id, increments(3))
      goal = live.positions[2]!
      yield* EventStore.append(uniqueStream("proj-live-noise"), increments(1))
      yield* Deferred.await(target)
      yield* Fiber.interrupt(fiber)
      assert.deepStrictEqual(yield* model, labels(id, [1, 2, 3, 4, 5]))
    })
  )

  it.effect("projections keep their own checkpoints; rebuild resets and replays with progress", () =>
    Effect.gen(function* () {
      const id = uniqueStream("proj-rebuild")
      const first = yield* recorder([id])
      const second = yield* recorder([id])
      yield* EventStore.append(id, increments(4))
      yield* ProjectionRunner.catchUp(first.projection)
      const checkpoints = yield* CheckpointStore.CheckpointStore
      assert.isTrue(Position.isAfter(yield* checkpoints.load(first.name), yield* checkpoints.load(second.name)))
      assert.deepStrictEqual(yield* second.model, [])
      const reports: Array<ProjectionRunner.Progress> = []
      const done = yield* ProjectionRunner.rebuild(first.projection, {
        pageSize: 50,
        onProgress: (p) => Effect.sync(() => void reports.push(p))
      })
      assert.deepStrictEqual(yield* first.model, labels(id, [1, 2, 3, 4]))
      const store = yield* EventStore.EventStore
      assert.deepStrictEqual(done.position, yield* store.headPosition)
      assert.deepStrictEqual(done.head, done.position)
      assert.isTrue(reports.length >= 1)
      assert.isTrue(increasing(reports.map((r) => r.position)))
      assert.deepStrictEqual(reports.at(-1)?.position, done.position)
    })
  )

  it.effect("Projection.foldAt replays a read model as of a global position", () =>
    Effect.gen(function* () {
      const id = uniqueStream("proj-at")
      const store = yield* EventStore.EventStore
      const before = yield* store.headPosition
      const a = yield* EventStore.append(id, increments(3))
      yield* EventStore.append(id, increments(2, 4))
      const sum = (until?: Position.Position) =>
        Projection.foldAt({
          codec,
          initial: 0,
          apply: (total, e: RecordedEvent.RecordedEvent<Event>) =>
            e.streamId === id && e.data._tag === "Incremented" ? total + e.data.by : total,
          ...(until === undefined ? {} : { until })
        })
      assert.strictEqual(yield* sum(a.positions[1]!), 1 + 2)
      assert.strictEqual(yield* sum(a.positions[2]!), 1 + 2 + 3)
      assert.strictEqual(yield* sum(), 1 + 2 + 3 + 4 + 5)
      assert.strictEqual(yield* sum(before), 0)
      assert.strictEqual(yield* sum(Position.start), 0)
      for (const until of [-1, Number.NaN, 1.5, "3", null]) {
        const error = yield* Effect.flip(sum(until as never))
        assert.deepStrictEqual(error._tag === "InvalidArgument" ? error.argument : error, "until", String(until))
      }
    })
  )

  it.effect("two runners of one projection never both apply a page: one meets CheckpointConflict", () =>
    Effect.gen(function* () {
      const id = uniqueStream("proj-twice")
      const { model, projection } = yield* recorder([id])
      yield* EventStore.append(id, increments(30))
      const results = yield* Effect.all(
        [
          ProjectionRunner.catchUp(projection, { pageSize: 1 }),
          ProjectionRunner.catchUp(projection, { pageSize: 1 })
        ].map(Effect.either),
        { concurrency: 2 }
      )
      for (const result of results) {
        if (Either.isLeft(result)) assert.instanceOf(result.left, CheckpointStore.CheckpointConflict)
      }
      yield* ProjectionRunner.catchUp(projection)
      assert.deepStrictEqual(
        yield* model,
        labels(
          id,
          Array.from({ length: 30 }, (_, i) => i + 1)
        )
      )
    })
  )

  it.effect("two runners of one in-memory read model at once fold every event once", () =>
    Effect.gen(function* () {
      const id = uniqueStream("proj-volatile-twice")
      yield* EventStore.append(id, increments(20))
      const count = (n: number, e: RecordedEvent.RecordedEvent<Event>) => (e.streamId === id ? n + 1 : n)
      const name = `volatile-twice-${crypto.randomUUID()}`
      const { model, projection } = yield* Projection.inMemory({ name, codec, initial: 0, apply: count })
      // A slow read model: each page takes a few real milliseconds, so the two runners overlap.
      const slow = Projection.make({
        ...projection,
        apply: (events, upTo) => Effect.zipRight(pause, projection.apply(events, upTo))
      })
      const results = yield* Effect.all(
        [ProjectionRunner.catchUp(slow, { pageSize: 5 }), ProjectionRunner.catchUp(slow, { pageSize: 5 })].map(
          Effect.either
        ),
        { concurrency: 2 }
      )
      assert.isTrue(results.some(Either.isRight))
      for (const result of results) {
        if (Either.isLeft(result)) assert.instanceOf(result.left, CheckpointStore.CheckpointConflict)
      }
      yield* ProjectionRunner.catchUp(projection)
      assert.strictEqual(yield* model, 20)
    })
  )

  it.effect("an in-memory read model keeps its own position and ignores stored checkpoints", () =>
    Effect.gen(function* () {
      const id = uniqueStream("proj-volatile")
      yield* EventStore.append(id, increments(3))
      const name = `volatile-${crypto.randomUUID()}`
      const checkpoints = yield* CheckpointStore.CheckpointStore
      const store = yield* EventStore.EventStore
      // A checkpoint left by an earlier process under the same name: a fresh in-memory model must not start there.
      yield* checkpoints.commit(name, { from: Position.start, to: yield* store.headPosition }, Effect.void)
      const fold = (total: number, e: RecordedEvent.RecordedEvent<Event>) =>
        e.streamId === id && e.data._tag === "Incremented" ? total + e.data.by : total
      const { model, projection } = yield* Projection.inMemory({ name, codec, initial: 0, apply: fold })
      const first = yield* ProjectionRunner.catchUp(projection, { pageSize: 2 })
      assert.strictEqual(yield* model, 6)
      assert.deepStrictEqual(first.position, yield* store.headPosition)
      yield* EventStore.append(id, increments(1, 10))
      yield* ProjectionRunner.catchUp(projection)
      assert.strictEqual(yield* model, 16)
      yield* ProjectionRunner.rebuild(projection)
      assert.strictEqual(yield* model, 16)
    })
  )
}
