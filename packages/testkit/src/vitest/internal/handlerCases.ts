import { CommandHandler, Decider, EventStore } from "@chronicle/core"
import { assert, type Vitest } from "@effect/vitest"
import { Effect, Either, Schedule, Schema } from "effect"
import { codec, readStreamAll, uniqueStream } from "./fixtures.js"

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
