import { CommandHandler, Decider, EventStore, SnapshotStore } from "@chronicle/core"
import { assert, type Vitest } from "@effect/vitest"
import { Effect, Either, FastCheck, Option, Schema, TestClock } from "effect"
import { codec, countingStore, increments, uniqueStream } from "./fixtures.js"

type Services = EventStore.EventStore | SnapshotStore.SnapshotStore
type It = Vitest.MethodsNonLive<Services>
type Event = typeof codec extends { readonly encode: (event: infer E) => unknown } ? E : never

const State = Schema.Struct({ total: Schema.Number, count: Schema.Number })
type State = typeof State.Type

/** A counter whose `Add` records `times` increments of `by`. */
const counter = Decider.make<{ readonly by: number; readonly times?: number }, Event, State>({
  initialState: { total: 0, count: 0 },
  decide: (command) =>
    Either.right(Array.from({ length: command.times ?? 1 }, () => ({ _tag: "Incremented" as const, by: command.by }))),
  evolve: (state, event) =>
    event._tag === "Incremented" ? { total: state.total + event.by, count: state.count + 1 } : state
})

/** A handler loading from snapshots (its state cache off, so every load goes to the snapshot store). */
const snapshotting = (every: number, schemaVersion?: string) =>
  CommandHandler.make({
    decider: counter,
    codec,
    cache: false,
    snapshots: {
      schema: State,
      policy: SnapshotStore.every(every),
      ...(schemaVersion === undefined ? {} : { schemaVersion })
    }
  })
const plain = CommandHandler.make({ decider: counter, codec, cache: false })

/** Runs `effect` with an EventStore that counts the events its stream reads return. */
const countingReads = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const counting = yield* countingStore
    const result = yield* counting.run(effect)
    return { result, read: counting.read() }
  })

/** Snapshots in the CommandHandler, and time travel over streams. */
export const snapshotCases = (it: It) => {
  it.effect("the handler snapshots by policy and loads the latest snapshot plus the events after it", () =>
    Effect.gen(function* () {
      const id = uniqueStream("snap")
      const handler = snapshotting(10)
      for (let i = 1; i <= 25; i++) yield* handler.handle(id, { by: i })
      const snapshots = yield* SnapshotStore.SnapshotStore
      const stored = yield* snapshots.load(id)
      assert.deepStrictEqual(
        Option.map(stored, (s): [number, unknown] => [s.version, s.state]),
        Option.some<[number, unknown]>([20, { total: 210, count: 20 }])
      )
      const { read, result } = yield* countingReads(handler.load(id))
      assert.strictEqual(read, 5)
      assert.deepStrictEqual(result, { state: { total: 325, count: 25 }, version: 25 })
      assert.deepStrictEqual(yield* plain.load(id), result)
    })
  )

  it.effect("with the state cache on: the cache first, then the latest snapshot, then a replay", () =>
    Effect.gen(function* () {
      const id = uniqueStream("snap-cache")
      yield* snapshotting(10).handle(id, { by: 1, times: 25 })
      yield* snapshotting(10).handle(id, { by: 1, times: 3 })
      const cached = CommandHandler.make({
        decider: counter,
        codec,
        snapshots: { schema: State, policy: SnapshotStore.every(10) }
      })
      const counting = yield* countingStore
      // Cold: the snapshot at 25, then the 3 events after it.
      assert.deepStrictEqual(yield* counting.run(cached.load(id)), { state: { total: 28, count: 28 }, version: 28 })
      assert.strictEqual(counting.read(), 3)
      // Warm: the cache, and nothing after it.
      assert.deepStrictEqual(yield* counting.run(cached.load(id)), { state: { total: 28, count: 28 }, version: 28 })
      assert.strictEqual(counting.read(), 3)
      // Without a usable snapshot (another schema version): a replay.
      const replaying = CommandHandler.make({
        decider: counter,
        codec,
        snapshots: { schema: State, schemaVersion: "another" }
      })
      assert.deepStrictEqual(yield* counting.run(replaying.load(id)), { state: { total: 28, count: 28 }, version: 28 })
      assert.strictEqual(counting.read(), 31)
    })
  )

  it.effect("snapshots written by another state schema, or that no longer decode, are ignored", () =>
    Effect.gen(function* () {
      const id = uniqueStream("snap-schema")
      yield* snapshotting(5, "v1").handle(id, { by: 2, times: 12 })
      const other = snapshotting(5, "v2")
      const { read, result } = yield* countingReads(other.load(id))
      assert.strictEqual(read, 12)
      assert.deepStrictEqual(result.state, { total: 24, count: 12 })
      const snapshots = yield* SnapshotStore.SnapshotStore
      yield* snapshots.save({ streamId: id, version: 12, schemaVersion: "v2", state: { total: "lots" } })
      const corrupt = yield* countingReads(other.load(id))
      assert.strictEqual(corrupt.read, 12)
      assert.deepStrictEqual(corrupt.result.state, { total: 24, count: 12 })
      assert.notStrictEqual(
        CommandHandler.schemaVersionOf(State),
        CommandHandler.schemaVersionOf(Schema.Struct({ total: Schema.Number }))
      )
    })
  )

  it.effect(
    "a 100,000-event stream with a snapshot every 100 events loads by reading at most 100 events",
    () =>
      Effect.gen(function* () {
        const id = uniqueStream("snap-long")
        const handler = snapshotting(100)
        for (let i = 0; i < 1000; i++) yield* handler.handle(id, { by: 1, times: 100 })
        yield* handler.handle(id, { by: 1, times: 50 })
        const { read, result } = yield* countingReads(handler.load(id))
        assert.isAtMost(read, 100)
        assert.strictEqual(read, 50)
        assert.deepStrictEqual(result, { state: { total: 100_050, count: 100_050 }, version: 100_050 })
      }),
    120_000
  )

  it.effect.prop(
    "for every snapshot interval N, state from snapshot plus tail equals a full replay",
    [FastCheck.integer({ min: 1, max: 12 }), FastCheck.array(FastCheck.integer({ min: 1, max: 4 }), { maxLength: 30 })],
    ([every, commands]) =>
      Effect.gen(function* () {
        const id = uniqueStream("snap-prop")
        const handler = snapshotting(every)
        for (const times of commands) yield* handler.handle(id, { by: times, times })
        assert.deepStrictEqual(yield* handler.load(id), yield* plain.load(id))
      }),
    { fastCheck: { numRuns: 25 } }
  )

  it.effect("time travel: the state at a version, at a time between two events, and before the stream existed", () =>
    Effect.gen(function* () {
      const id = uniqueStream("travel")
      yield* TestClock.setTime(1_000)
      yield* EventStore.append(id, increments(2, 1))
      yield* TestClock.setTime(2_000)
      yield* EventStore.append(id, increments(1, 3))
      yield* TestClock.setTime(3_000)
      yield* EventStore.append(id, increments(1, 4))
      const at = (point: CommandHandler.PointInTime) => plain.loadAt(id, point)
      assert.deepStrictEqual(yield* at({ version: 2 }), { state: { total: 3, count: 2 }, version: 2 })
      assert.deepStrictEqual(yield* at({ version: 0 }), { state: { total: 0, count: 0 }, version: 0 })
      assert.deepStrictEqual(yield* at({ version: 99 }), { state: { total: 10, count: 4 }, version: 4 })
      assert.deepStrictEqual(yield* at({ time: new Date(2_500) }), { state: { total: 6, count: 3 }, version: 3 })
      assert.deepStrictEqual(yield* at({ time: new Date(2_000) }), { state: { total: 6, count: 3 }, version: 3 })
      assert.deepStrictEqual(yield* at({ time: new Date(999) }), { state: { total: 0, count: 0 }, version: 0 })
      assert.deepStrictEqual(yield* at({ time: new Date(9_999) }), yield* plain.load(id))
    })
  )

  it.effect("a snapshot ahead of its stream (a restored event store) is never used, and is deleted", () =>
    Effect.gen(function* () {
      const id = uniqueStream("snap-ahead")
      const snapshots = yield* SnapshotStore.SnapshotStore
      const handler = snapshotting(10)
      yield* handler.handle(id, { by: 2, times: 2 })
      // The events were restored from an older backup; the snapshot store kept a newer snapshot of the stream.
      yield* snapshots.save({
        streamId: id,
        version: 50,
        schemaVersion: CommandHandler.schemaVersionOf(State),
        state: { total: 999, count: 50 }
      })
      assert.deepStrictEqual(yield* handler.load(id), { state: { total: 4, count: 2 }, version: 2 })
      assert.isTrue(Option.isNone(yield* snapshots.load(id)))
      yield* snapshots.save({
        streamId: id,
        version: 50,
        schemaVersion: CommandHandler.schemaVersionOf(State),
        state: { total: 999, count: 50 }
      })
      const handled = yield* handler.handle(id, { by: 3 })
      assert.deepStrictEqual([handled.version, handled.state], [3, { total: 7, count: 3 }])
      assert.deepStrictEqual(yield* plain.load(id), { state: { total: 7, count: 3 }, version: 3 })
      assert.isTrue(
        Option.getOrElse(
          Option.map(yield* snapshots.load(id), (s) => s.version <= 3),
          () => true
        )
      )
    })
  )

  it.effect("a snapshot at the stream's head is used, reading no event", () =>
    Effect.gen(function* () {
      const id = uniqueStream("snap-head")
      const handler = snapshotting(5)
      yield* handler.handle(id, { by: 1, times: 5 })
      const { read, result } = yield* countingReads(handler.load(id))
      assert.strictEqual(read, 0)
      assert.deepStrictEqual(result, { state: { total: 5, count: 5 }, version: 5 })
    })
  )

  it.effect("time travel rejects a version or a time out of range with InvalidArgument", () =>
    Effect.gen(function* () {
      const id = uniqueStream("travel-bad")
      for (const point of [{ version: -1 }, { version: Number.NaN }, { time: new Date(Number.NaN) }]) {
        const error = yield* Effect.flip(plain.loadAt(id, point))
        assert.strictEqual(error._tag, "InvalidArgument")
      }
    })
  )
}
