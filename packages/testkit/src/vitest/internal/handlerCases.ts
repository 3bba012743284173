import { CommandHandler, Decider, EventStore } from "@chronicle/core"
import { assert, type Vitest } from "@effect/vitest"
import { Effect, Either, Schedule, Schema, TestClock, TestServices } from "effect"
import { codec, countingStore, increments, readStreamAll, uniqueStream } from "./fixtures.js"

type It = Vitest.MethodsNonLive<EventStore.EventStore>

class TooLarge extends Schema.TaggedError<TooLarge>()("TooLarge", { total: Schema.Number }) {}

type Command = { readonly _tag: "Add"; readonly by: number } | { readonly _tag: "Touch" }
type Event = typeof codec extends { readonly encode: (event: infer E) => unknown } ? E : never

/** A counter that refuses to pass 1,000 and ignores `Touch`. */
const counter = Decider.make<Command, Event, number, TooLarge>({
  initialState: 0,
  decide: (command, total) => {
    switch (command._tag) {
      case "Touch":
        return Either.right([])
      case "Add":
        return total + command.by > 1000
          ? Either.left(new TooLarge({ total }))
          : Either.right([{ _tag: "Incremented", by: command.by }])
    }
  },
  evolve: (total, event) => (event._tag === "Incremented" ? total + event.by : total)
})

const handler = CommandHandler.make({ decider: counter, codec, retry: Schedule.recurs(100) })

/** The command handler over this store: load, decide, append, retry on conflicts, domain errors typed. */
export const handlerCases = (it: It) => {
  it.effect("CommandHandler decides, appends and returns events, state and version", () =>
    Effect.gen(function* () {
      const id = uniqueStream("handler")
      const first = yield* handler.handle(id, { _tag: "Add", by: 5 }, { metadata: { correlationId: "c-1" } })
      assert.deepStrictEqual(first.events, [{ _tag: "Incremented", by: 5 }])
      assert.strictEqual(first.state, 5)
      assert.strictEqual(first.version, 1)
      assert.strictEqual(first.positions.length, 1)
      const second = yield* handler.handle(id, { _tag: "Add", by: 7 })
      assert.strictEqual(second.state, 12)
      assert.strictEqual(second.version, 2)
      assert.deepStrictEqual(yield* handler.load(id), { state: 12, version: 2 })
      const [stored] = yield* readStreamAll(id)
      assert.strictEqual(stored?.metadata.correlationId, "c-1")
    })
  )

  it.effect("CommandHandler keeps domain errors typed and appends nothing for them or for empty decisions", () =>
    Effect.gen(function* () {
      const id = uniqueStream("handler-errors")
      yield* handler.handle(id, { _tag: "Add", by: 990 })
      const error = yield* Effect.flip(handler.handle(id, { _tag: "Add", by: 11 }))
      assert.instanceOf(error, TooLarge)
      assert.strictEqual((error as TooLarge).total, 990)
      const touched = yield* handler.handle(id, { _tag: "Touch" })
      assert.deepStrictEqual(touched, { events: [], state: 990, version: 1, positions: [] })
      assert.strictEqual(yield* EventStore.streamVersion(id), 1)
    })
  )

  it.effect("CommandHandler reloads and decides again on conflicts until every command is applied", () =>
    Effect.gen(function* () {
      const id = uniqueStream("handler-race")
      const results = yield* Effect.all(
        Array.from({ length: 20 }, () => handler.handle(id, { _tag: "Add", by: 1 })),
        { concurrency: "unbounded" }
      )
      assert.deepStrictEqual(
        results.map((r) => r.version).sort((a, b) => a - b),
        Array.from({ length: 20 }, (_, i) => i + 1)
      )
      assert.deepStrictEqual(yield* handler.load(id), { state: 20, version: 20 })
    })
  )

  it.effect("CommandHandler's state cache: a warm command reads only the events after the cached version", () =>
    Effect.gen(function* () {
      const id = uniqueStream("handler-cache")
      const store = yield* EventStore.EventStore
      const counting = yield* countingStore
      yield* store.append(id, increments(5))
      const cached = CommandHandler.make({ decider: counter, codec, retry: Schedule.recurs(100) })
      const uncached = CommandHandler.make({ decider: counter, codec, cache: false })
      const { run } = counting
      const read = () => counting.read()
      assert.strictEqual((yield* run(cached.handle(id, { _tag: "Add", by: 1 }))).state, 16)
      assert.strictEqual(read(), 5)
      assert.deepStrictEqual(yield* run(cached.handle(id, { _tag: "Add", by: 2 })), {
        events: [{ _tag: "Incremented", by: 2 }],
        state: 18,
        version: 7,
        positions: (yield* readStreamAll(id)).slice(6).map((e) => e.position)
      })
      assert.strictEqual(read(), 5)
      // Another writer appends: the next command reads just those.
      yield* store.append(id, increments(2, 100))
      assert.strictEqual((yield* run(cached.handle(id, { _tag: "Add", by: 3 }))).state, 18 + 100 + 101 + 3)
      assert.strictEqual(read(), 7)
      assert.deepStrictEqual(yield* run(cached.load(id)), { state: 222, version: 10 })
      assert.strictEqual(read(), 7)
      // Without the cache every load replays the stream.
      assert.deepStrictEqual(yield* run(uncached.load(id)), { state: 222, version: 10 })
      assert.strictEqual(read(), 17)
    })
  )

  it.effect(
    "CommandHandler's state cache: a warm command that appends reads nothing; one that writes nothing reads",
    () =>
      Effect.gen(function* () {
        const id = uniqueStream("handler-warm")
        const store = yield* EventStore.EventStore
        const counting = yield* countingStore
        // No retries: a conflict met on a cached state is not one the handler may give up on.
        const cached = CommandHandler.make({ decider: counter, codec, retry: Schedule.recurs(0) })
        yield* counting.run(cached.handle(id, { _tag: "Add", by: 1 }))
        assert.strictEqual(counting.reads(), 1)
        assert.strictEqual((yield* counting.run(cached.handle(id, { _tag: "Add", by: 2 }))).version, 2)
        assert.strictEqual(counting.reads(), 1)
        // Nothing to write, or a refusal, on a cached state: confirmed by reading what follows it first.
        assert.deepStrictEqual(yield* counting.run(cached.handle(id, { _tag: "Touch" })), {
          events: [],
          state: 3,
          version: 2,
          positions: []
        })
        assert.strictEqual(counting.reads(), 2)
        // Another writer moves the stream: the cached state's append conflicts, the new events are folded in, and the
        // command is decided again, although the handler has no retries to spend.
        yield* store.append(id, increments(2, 100))
        const moved = yield* counting.run(cached.handle(id, { _tag: "Add", by: 3 }))
        assert.deepStrictEqual([moved.state, moved.version], [3 + 100 + 101 + 3, 5])
        assert.strictEqual(counting.read(), 2)
        yield* store.append(id, increments(1, 800))
        const refused = yield* Effect.flip(counting.run(cached.handle(id, { _tag: "Add", by: 100 })))
        assert.instanceOf(refused, TooLarge)
        assert.strictEqual((refused as TooLarge).total, 207 + 800)
        assert.strictEqual(yield* EventStore.streamVersion(id), 6)
      })
  )

  it.effect("CommandHandler's state cache honours its capacity and time to live", () =>
    Effect.gen(function* () {
      const [a, b] = [uniqueStream("cache-a"), uniqueStream("cache-b")]
      const store = yield* EventStore.EventStore
      yield* store.append(a, increments(3))
      yield* store.append(b, increments(4))
      const counting = yield* countingStore
      const single = CommandHandler.make({ decider: counter, codec, cache: { capacity: 1 } })
      const brief = CommandHandler.make({ decider: counter, codec, cache: { timeToLive: "1 minute" } })
      const reads = (effect: Effect.Effect<unknown, unknown, EventStore.EventStore>) =>
        Effect.gen(function* () {
          const before = counting.read()
          yield* counting.run(effect)
          return counting.read() - before
        })
      assert.strictEqual(yield* reads(single.load(a)), 3)
      assert.strictEqual(yield* reads(single.load(a)), 0)
      assert.strictEqual(yield* reads(single.load(b)), 4)
      // One stream fits: loading b pushed a out.
      assert.strictEqual(yield* reads(single.load(a)), 3)
      // Two fit; a capacity below one keeps one all the same.
      const pair = CommandHandler.make({ decider: counter, codec, cache: { capacity: 2 } })
      const none = CommandHandler.make({ decider: counter, codec, cache: { capacity: 0 } })
      assert.deepStrictEqual(
        [
          yield* reads(pair.load(a)),
          yield* reads(pair.load(b)),
          yield* reads(pair.load(a)),
          yield* reads(pair.load(b)),
          yield* reads(none.load(a)),
          yield* reads(none.load(a))
        ],
        [3, 4, 0, 0, 3, 0]
      )
      assert.strictEqual(yield* reads(brief.load(b)), 4)
      yield* TestClock.adjust("59 seconds")
      assert.strictEqual(yield* reads(brief.load(b)), 0)
      yield* TestClock.adjust("2 seconds")
      assert.strictEqual(yield* reads(brief.load(b)), 4)
    })
  )

  it.effect("two handlers on one store: a stale cached state costs a retry, never a wrong decision", () =>
    Effect.gen(function* () {
      const id = uniqueStream("handler-stale-cache")
      const first = CommandHandler.make({ decider: counter, codec, retry: Schedule.recurs(100) })
      const second = CommandHandler.make({ decider: counter, codec, retry: Schedule.recurs(100) })
      yield* first.handle(id, { _tag: "Add", by: 1 })
      yield* second.handle(id, { _tag: "Add", by: 994 })
      // `first` still holds the state 1 at version 1; the stream is at 995. Adding 10 would pass 1,000.
      const refused = yield* Effect.flip(first.handle(id, { _tag: "Add", by: 10 }))
      assert.instanceOf(refused, TooLarge)
      assert.strictEqual((refused as TooLarge).total, 995)
      assert.strictEqual(yield* EventStore.streamVersion(id), 2)
      const accepted = yield* first.handle(id, { _tag: "Add", by: 5 })
      assert.deepStrictEqual([accepted.state, accepted.version], [1000, 3])
      assert.deepStrictEqual(yield* second.load(id), { state: 1000, version: 3 })
    })
  )

  it.effect("CommandHandler's default retry holds 100 fibers handling commands on one stream at once", () =>
    Effect.gen(function* () {
      const id = uniqueStream("handler-hundred")
      const defaults = CommandHandler.make({ decider: counter, codec })
      // The default schedule backs off in real time, so this runs on the live clock.
      const results = yield* TestServices.provideLive(
        Effect.all(
          Array.from({ length: 100 }, () => defaults.handle(id, { _tag: "Add", by: 1 })),
          { concurrency: "unbounded" }
        )
      )
      assert.deepStrictEqual(
        results.map((r) => r.version).sort((a, b) => a - b),
        Array.from({ length: 100 }, (_, i) => i + 1)
      )
      assert.deepStrictEqual(yield* defaults.load(id), { state: 100, version: 100 })
    })
  )

  it.effect("CommandHandler gives up with WrongExpectedVersion when its retry schedule is spent", () =>
    Effect.gen(function* () {
      const id = uniqueStream("handler-stale")
      const store = yield* EventStore.EventStore
      const noRetry = CommandHandler.make({ decider: counter, codec, retry: Schedule.recurs(0) })
      const always = CommandHandler.make({ decider: counter, codec, retry: Schedule.recurs(3) })
      // A store that lets another writer in between every load and append: the handler can never win.
      let interferences = 0
      const meddling: EventStore.EventStore["Type"] = {
        ...store,
        append: (streamId, events, options) =>
          Effect.zipRight(
            Effect.sync(() => interferences++).pipe(
              Effect.zipRight(store.append(streamId, [{ type: "Incremented", data: { by: 0 } }]))
            ),
            store.append(streamId, events, options)
          )
      }
      const once = yield* Effect.flip(
        noRetry.handle(id, { _tag: "Add", by: 1 }).pipe(Effect.provideService(EventStore.EventStore, meddling))
      )
      assert.strictEqual(once._tag, "WrongExpectedVersion")
      assert.strictEqual(interferences, 1)
      const fourTimes = yield* Effect.flip(
        always.handle(id, { _tag: "Add", by: 1 }).pipe(Effect.provideService(EventStore.EventStore, meddling))
      )
      assert.strictEqual(fourTimes._tag, "WrongExpectedVersion")
      assert.strictEqual(interferences, 5)
      assert.strictEqual(yield* EventStore.streamVersion(id), 5)
    })
  )
}
