import { CommandHandler, Decider, EventCodec, EventStore } from "@chronicle/core"
import { assert, type Vitest } from "@effect/vitest"
import { Effect, Either, Stream } from "effect"
import { codec, farFuture, increasing, increments, readAllFrom, readStreamAll, uniqueStream } from "./fixtures.js"

type It = Vitest.MethodsNonLive<EventStore.EventStore>

const versions = (events: ReadonlyArray<{ readonly version: number }>) => events.map((e) => e.version)

/** Reads: stream ranges forward and backward, global order, paging, and decode errors. */
export const readCases = (it: It) => {
  it.effect("readStream reads ranges forward, in pages", () =>
    Effect.gen(function* () {
      const id = uniqueStream("range")
      yield* EventStore.append(id, increments(25))
      assert.deepStrictEqual(versions(yield* readStreamAll(id, { pageSize: 7 })), range(1, 25))
      assert.deepStrictEqual(versions(yield* readStreamAll(id, { from: 10, pageSize: 4 })), range(10, 25))
      assert.deepStrictEqual(versions(yield* readStreamAll(id, { from: 5, to: 9 })), range(5, 9))
      assert.deepStrictEqual(versions(yield* readStreamAll(id, { from: 5, maxCount: 3 })), range(5, 7))
      assert.deepStrictEqual(versions(yield* readStreamAll(id, { from: 3, maxCount: 11, pageSize: 4 })), range(3, 13))
      assert.deepStrictEqual(versions(yield* readStreamAll(id, { from: 26 })), [])
      assert.deepStrictEqual(versions(yield* readStreamAll(id, { maxCount: 0 })), [])
      assert.deepStrictEqual(versions(yield* readStreamAll(uniqueStream("missing"))), [])
    })
  )

  it.effect("readStream reads backward", () =>
    Effect.gen(function* () {
      const id = uniqueStream("backward")
      yield* EventStore.append(id, increments(12))
      const backward = { direction: "backward" } as const
      assert.deepStrictEqual(versions(yield* readStreamAll(id, { ...backward, pageSize: 5 })), range(1, 12).reverse())
      assert.deepStrictEqual(versions(yield* readStreamAll(id, { ...backward, maxCount: 1 })), [12])
      assert.deepStrictEqual(versions(yield* readStreamAll(id, { ...backward, from: 8, maxCount: 3 })), [8, 7, 6])
      assert.deepStrictEqual(versions(yield* readStreamAll(id, { ...backward, from: 6, to: 4 })), [6, 5, 4])
      assert.deepStrictEqual(versions(yield* readStreamAll(id, { ...backward, from: 100, to: 11 })), [12, 11])
      assert.deepStrictEqual(versions(yield* readStreamAll(uniqueStream("missing"), backward)), [])
    })
  )

  it.effect("readAll returns every stream's events in global order, in pages", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const start = yield* store.headPosition
      const a = uniqueStream("global-a")
      const b = uniqueStream("global-b")
      const appended: Array<string> = []
      for (let i = 0; i < 6; i++) {
        const target = i % 3 === 0 ? b : a
        yield* EventStore.append(target, increments(2, i * 10))
        appended.push(`${target}:${i * 10}`, `${target}:${i * 10 + 1}`)
      }
      const read = (yield* readAllFrom({ after: start, pageSize: 3 })).filter(
        (e) => e.streamId === a || e.streamId === b
      )
      assert.deepStrictEqual(
        read.map((e) => `${e.streamId}:${(e.data as { by: number }).by}`),
        appended
      )
      const positions = read.map((e) => e.position)
      assert.isTrue(increasing([start, ...positions]))
      const all = yield* readAllFrom({ after: start, pageSize: 2 })
      assert.isTrue(increasing(all.map((e) => e.position)))
      const mid = read[5]!.position
      const tail = (yield* readAllFrom({ after: mid })).filter((e) => e.streamId === a || e.streamId === b)
      assert.deepStrictEqual(
        tail.map((e) => e.position),
        positions.slice(6)
      )
      const limited = yield* readAllFrom({ after: start, maxCount: 5, pageSize: 2 })
      assert.strictEqual(limited.length, 5)
      assert.deepStrictEqual(limited, all.slice(0, 5))
      const beyond = yield* readAllFrom({ after: farFuture })
      assert.strictEqual(beyond.length, 0)
    })
  )

  it.effect("surfaces events that no longer fit their schema as EventDecodeError, never skipping them", () =>
    Effect.gen(function* () {
      const id = uniqueStream("decode")
      yield* EventStore.append(id, [
        { type: "Incremented", data: { by: 1 } },
        { type: "Incremented", data: { by: "one" } },
        { type: "Renamed", data: { by: 3 } }
      ])
      const events = yield* readStreamAll(id)
      assert.strictEqual(events.length, 3)
      assert.isTrue(Either.isRight(codec.decode(events[0]!)))
      const second = codec.decode(events[1]!)
      assert.isTrue(Either.isLeft(second))
      if (Either.isLeft(second)) {
        assert.strictEqual(second.left._tag, "EventDecodeError")
        assert.strictEqual(second.left.streamId, id)
        assert.strictEqual(second.left.version, 2)
        assert.strictEqual(second.left.type, "Incremented")
      }
      const third = codec.decode(events[2]!)
      assert.isTrue(Either.isLeft(third) && third.left.version === 3 && third.left.type === "Renamed")
      const store = yield* EventStore.EventStore
      const viaStream = yield* Effect.flip(Stream.runCollect(store.readStream(id).pipe(EventCodec.decodeStream(codec))))
      assert.strictEqual(viaStream._tag, "EventDecodeError")
      const counter = Decider.make({
        initialState: 0,
        decide: (_: null, __: number) => Either.right([]),
        evolve: (s: number, e: typeof codec extends EventCodec.EventCodec<infer E> ? E : never) =>
          e._tag === "Incremented" ? s + e.by : s
      })
      const loadError = yield* Effect.flip(CommandHandler.make({ decider: counter, codec }).load(id))
      assert.strictEqual(loadError._tag, "EventDecodeError")
      if (loadError._tag === "EventDecodeError") assert.strictEqual(loadError.version, 2)
      const ok = uniqueStream("decode-ok")
      yield* EventStore.append(ok, increments(2))
      const loaded = yield* CommandHandler.make({ decider: counter, codec }).load(ok)
      assert.deepStrictEqual(loaded, { state: 3, version: 2 })
    })
  )
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)
