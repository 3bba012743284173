import { CommandHandler, Decider, EventStore } from "@chronicle/core"
import { InMemoryEventStore } from "@chronicle/store-memory"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Schedule } from "effect"
import { type Added, codec, counter } from "./fixtures/counter.js"

const added = (n: number) => Array.from({ length: n }, () => ({ type: "Added", data: { by: 1 } }))

/**
 * An event store that forwards to `target` (which a test may swap, as when a store is restored from a backup), counts
 * the events its stream folds return, and can run `beforeAppend` once, just before the next append.
 */
const switchable = (initial: EventStore.EventStore["Type"]) => {
  let target = initial
  let read = 0
  let beforeAppend: Effect.Effect<unknown> | undefined
  const store: EventStore.EventStore["Type"] = {
    append: (id, events, options) => {
      const first = beforeAppend ?? Effect.void
      beforeAppend = undefined
      return Effect.zipRight(first, target.append(id, events, options))
    },
    readStream: (id, options) => target.readStream(id, options),
    foldStream: (id, initial, step, options) =>
      target.foldStream(
        id,
        initial,
        (state, page) => {
          read += page.length
          return step(state, page)
        },
        options
      ),
    appendMany: (appends, options) => target.appendMany(appends, options),
    read: (query, options) => target.read(query, options),
    readAll: (options) => target.readAll(options),
    subscribe: (options) => target.subscribe(options),
    streamVersion: (id) => target.streamVersion(id),
    get headPosition() {
      return target.headPosition
    }
  }
  return {
    store,
    switchTo: (next: EventStore.EventStore["Type"]) => {
      target = next
    },
    beforeNextAppend: (effect: Effect.Effect<unknown>) => {
      beforeAppend = effect
    },
    /** The events read since the last call. */
    takeRead: () => {
      const count = read
      read = 0
      return count
    }
  }
}

describe("CommandHandler conflicts", () => {
  it.effect("after a conflict it folds in only the events it missed, and decides again", () =>
    Effect.gen(function* () {
      const backing = yield* InMemoryEventStore.make
      const id = `conflict-${crypto.randomUUID()}`
      yield* backing.append(id, added(10))
      const spy = switchable(backing)
      const handler = CommandHandler.make({ decider: counter, codec, cache: false })
      // Another writer appends two events between the handler's read and its append.
      spy.beforeNextAppend(Effect.orDie(backing.append(id, added(2))))
      const handled = yield* Effect.provideService(handler.handle(id, { by: 5 }), EventStore.EventStore, spy.store)
      assert.deepStrictEqual([handled.state, handled.version], [17, 13])
      assert.strictEqual(spy.takeRead(), 12)
    })
  )

  it.effect("the events folded in at a conflict are cached: a decision to write nothing leaves the cache current", () =>
    Effect.gen(function* () {
      const backing = yield* InMemoryEventStore.make
      const id = `conflict-cached-${crypto.randomUUID()}`
      const spy = switchable(backing)
      // Adds `by` unless the total would pass `cap`.
      const capped = Decider.make<{ readonly by: number; readonly cap: number }, typeof Added.Type, number>({
        initialState: 0,
        decide: (command, total) =>
          Either.right(total + command.by > command.cap ? [] : [{ _tag: "Added", by: command.by }]),
        evolve: (total, event) => total + event.by
      })
      const handler = CommandHandler.make({ decider: capped, codec })
      const handle = (by: number) =>
        Effect.provideService(handler.handle(id, { by, cap: 10 }), EventStore.EventStore, spy.store)
      yield* handle(1)
      spy.takeRead()
      // Another writer: the cached state (1 at version 1) is now 5 events behind.
      yield* backing.append(id, added(5))
      const refused = yield* handle(5)
      assert.deepStrictEqual([refused.events.length, refused.state, refused.version], [0, 6, 6])
      assert.strictEqual(spy.takeRead(), 5)
      // The next command is decided on the cached 6 at version 6: appended at once, nothing read again.
      const next = yield* handle(1)
      assert.deepStrictEqual([next.state, next.version], [7, 7])
      assert.strictEqual(spy.takeRead(), 0)
    })
  )

  it.effect("a stream that went back (its store restored from an older backup) is loaded afresh", () =>
    Effect.gen(function* () {
      const id = `restored-${crypto.randomUUID()}`
      const newer = yield* InMemoryEventStore.make
      const older = yield* InMemoryEventStore.make
      yield* older.append(id, added(1))
      const spy = switchable(newer)
      const handler = CommandHandler.make({ decider: counter, codec, retry: Schedule.recurs(3) })
      const handle = (by: number) => Effect.provideService(handler.handle(id, { by }), EventStore.EventStore, spy.store)
      for (let i = 0; i < 3; i++) yield* handle(1)
      spy.switchTo(older)
      // The handler's cache holds version 3; the store now has version 1.
      const handled = yield* handle(10)
      assert.deepStrictEqual([handled.state, handled.version], [11, 2])
    })
  )
})
