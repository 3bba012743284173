import { EventStore, ExpectedVersion, Position } from "@chronicle/core"
import { assert, type Vitest } from "@effect/vitest"
import { Effect, Either, TestClock } from "effect"
import { increasing, increments, readAllFrom, readStreamAll, uniqueStream } from "./fixtures.js"

type It = Vitest.MethodsNonLive<EventStore.EventStore>

const expectWrongVersion = (
  effect: Effect.Effect<unknown, { readonly _tag: string }, EventStore.EventStore>,
  actual: number
) =>
  Effect.gen(function* () {
    const error = yield* Effect.flip(effect)
    assert.strictEqual(error._tag, "WrongExpectedVersion")
    if (error._tag === "WrongExpectedVersion") assert.strictEqual((error as { actual?: number }).actual, actual)
  })

/** Appends: numbering, the four expected-version modes, atomicity, input validation, metadata and time. */
export const appendCases = (it: It) => {
  it.effect("numbers stream versions from 1 and global positions upwards", () =>
    Effect.gen(function* () {
      const id = uniqueStream("numbering")
      const store = yield* EventStore.EventStore
      const before = yield* store.headPosition
      assert.strictEqual(yield* EventStore.streamVersion(id), 0)
      const first = yield* EventStore.append(id, increments(1))
      assert.strictEqual(first.version, 1)
      assert.strictEqual(first.positions.length, 1)
      const second = yield* EventStore.append(id, increments(3, 2))
      assert.strictEqual(second.version, 4)
      assert.strictEqual(second.positions.length, 3)
      assert.isTrue(increasing([...first.positions, ...second.positions]))
      const events = yield* readStreamAll(id)
      assert.deepStrictEqual(
        events.map((e) => e.version),
        [1, 2, 3, 4]
      )
      assert.deepStrictEqual(
        events.map((e) => e.position),
        [...first.positions, ...second.positions]
      )
      assert.deepStrictEqual(
        events.map((e) => e.data),
        [1, 2, 3, 4].map((by) => ({ by }))
      )
      assert.isTrue(events.every((e) => e.streamId === id && e.type === "Incremented"))
      assert.strictEqual(new Set(events.map((e) => e.id)).size, 4)
      assert.strictEqual(yield* EventStore.streamVersion(id), 4)
      assert.isFalse(Position.isBefore(yield* store.headPosition, second.positions[2]!))
      // Every position is after the start, and reading after the head seen before the appends finds them in order.
      assert.isTrue(Position.isAfter(first.positions[0]!, Position.start))
      const mine = (yield* readAllFrom({ after: before })).filter((e) => e.streamId === id)
      assert.deepStrictEqual(
        mine.map((e) => e.id),
        events.map((e) => e.id)
      )
    })
  )

  it.effect(
    "keeps data as JSON: later mutation of the input changes nothing, values come back as JSON gives them",
    () =>
      Effect.gen(function* () {
        const id = uniqueStream("json")
        const data = { when: new Date(0), list: [1, undefined, 3], gone: undefined, nested: { n: 1 } }
        yield* EventStore.append(id, [{ type: "Noted", data }])
        data.nested.n = 99
        data.list.push(4)
        const [event] = yield* readStreamAll(id)
        assert.deepStrictEqual(event?.data, { when: "1970-01-01T00:00:00.000Z", list: [1, null, 3], nested: { n: 1 } })
        for (const bad of [new Date(0), { toJSON: () => undefined }, { toJSON: () => "text" }]) {
          const error = yield* Effect.flip(EventStore.append(id, [{ type: "Noted", data: bad }]))
          assert.strictEqual(error._tag, "InvalidEvent")
        }
        assert.strictEqual(yield* EventStore.streamVersion(id), 1)
      })
  )

  it.effect("rejects out-of-range options and expected versions with InvalidArgument", () =>
    Effect.gen(function* () {
      const id = uniqueStream("arguments")
      yield* EventStore.append(id, increments(3))
      const store = yield* EventStore.EventStore
      const badReads: ReadonlyArray<EventStore.ReadStreamOptions> = [
        { from: -1 },
        { to: 1.5 },
        { maxCount: Number.NaN },
        { pageSize: 0 },
        { direction: "Backward" as "backward" }
      ]
      for (const options of badReads) {
        assert.strictEqual(
          (yield* Effect.flip(readStreamAll(id, options)))._tag,
          "InvalidArgument",
          JSON.stringify(options)
        )
        const folded = yield* Effect.flip(store.foldStream(id, 0, (n) => Either.right(n), options))
        assert.strictEqual(folded._tag, "InvalidArgument")
      }
      for (const after of [-5, 3, "3", { position: 3 }]) {
        assert.strictEqual((yield* Effect.flip(readAllFrom({ after: after as never })))._tag, "InvalidArgument")
      }
      assert.strictEqual((yield* Effect.flip(readAllFrom({ maxCount: 2.5 })))._tag, "InvalidArgument")
      for (const version of [-1, 1.5, Number.NaN]) {
        const error = yield* Effect.flip(
          EventStore.append(id, increments(1), { expectedVersion: ExpectedVersion.exact(version) })
        )
        assert.strictEqual(error._tag, "InvalidArgument")
      }
      assert.strictEqual(yield* EventStore.streamVersion(id), 3)
    })
  )

  it.effect("ExpectedVersion.any appends to new and existing streams", () =>
    Effect.gen(function* () {
      const id = uniqueStream("any")
      assert.strictEqual(
        (yield* EventStore.append(id, increments(1), { expectedVersion: ExpectedVersion.any })).version,
        1
      )
      assert.strictEqual(
        (yield* EventStore.append(id, increments(1), { expectedVersion: ExpectedVersion.any })).version,
        2
      )
    })
  )

  it.effect("ExpectedVersion.noStream succeeds only on a stream with no events", () =>
    Effect.gen(function* () {
      const id = uniqueStream("no-stream")
      const options = { expectedVersion: ExpectedVersion.noStream }
      assert.strictEqual((yield* EventStore.append(id, increments(2), options)).version, 2)
      yield* expectWrongVersion(EventStore.append(id, increments(1), options), 2)
      assert.strictEqual(yield* EventStore.streamVersion(id), 2)
    })
  )

  it.effect("ExpectedVersion.streamExists fails on a new stream and succeeds on an existing one", () =>
    Effect.gen(function* () {
      const id = uniqueStream("exists")
      const options = { expectedVersion: ExpectedVersion.streamExists }
      yield* expectWrongVersion(EventStore.append(id, increments(1), options), 0)
      assert.strictEqual(yield* EventStore.streamVersion(id), 0)
      yield* EventStore.append(id, increments(1))
      assert.strictEqual((yield* EventStore.append(id, increments(1), options)).version, 2)
    })
  )

  it.effect("ExpectedVersion.exact succeeds at the current version and fails with the real version otherwise", () =>
    Effect.gen(function* () {
      const id = uniqueStream("exact")
      assert.strictEqual(
        (yield* EventStore.append(id, increments(1), { expectedVersion: ExpectedVersion.exact(0) })).version,
        1
      )
      yield* expectWrongVersion(EventStore.append(id, increments(1), { expectedVersion: ExpectedVersion.exact(0) }), 1)
      yield* expectWrongVersion(EventStore.append(id, increments(1), { expectedVersion: ExpectedVersion.exact(5) }), 1)
      assert.strictEqual(
        (yield* EventStore.append(id, increments(2), { expectedVersion: ExpectedVersion.exact(1) })).version,
        3
      )
      const error = yield* Effect.flip(
        EventStore.append(id, increments(1), { expectedVersion: ExpectedVersion.exact(2) })
      )
      assert.strictEqual(error._tag, "WrongExpectedVersion")
      if (error._tag === "WrongExpectedVersion") {
        assert.strictEqual(error.streamId, id)
        assert.strictEqual(error.expected, "exact(2)")
        assert.strictEqual(error.actual, 3)
      }
    })
  )

  it.effect("a failing batch leaves nothing behind", () =>
    Effect.gen(function* () {
      const id = uniqueStream("atomic")
      yield* EventStore.append(id, increments(2))
      const store = yield* EventStore.EventStore
      const head = yield* store.headPosition
      yield* expectWrongVersion(EventStore.append(id, increments(5), { expectedVersion: ExpectedVersion.exact(1) }), 2)
      const bad = [...increments(3), { type: "Incremented", data: null }, ...increments(2)]
      const invalid = yield* Effect.flip(EventStore.append(id, bad))
      assert.strictEqual(invalid._tag, "InvalidEvent")
      const big = [...increments(3), { type: "Incremented", data: { by: 10n } }]
      assert.strictEqual((yield* Effect.flip(EventStore.append(id, big)))._tag, "InvalidEvent")
      assert.strictEqual(yield* EventStore.streamVersion(id), 2)
      assert.strictEqual((yield* readStreamAll(id)).length, 2)
      const after = yield* readAllFrom({ after: head })
      assert.isFalse(after.some((e) => e.streamId === id))
    })
  )

  it.effect("an empty batch checks the expected version and writes nothing", () =>
    Effect.gen(function* () {
      const id = uniqueStream("empty")
      const result = yield* EventStore.append(id, [], { expectedVersion: ExpectedVersion.noStream })
      assert.deepStrictEqual(result, { version: 0, positions: [] })
      yield* EventStore.append(id, increments(1))
      yield* expectWrongVersion(EventStore.append(id, [], { expectedVersion: ExpectedVersion.noStream }), 1)
      assert.strictEqual(yield* EventStore.streamVersion(id), 1)
    })
  )

  it.effect("rejects malformed events with InvalidEvent", () =>
    Effect.gen(function* () {
      const id = uniqueStream("invalid")
      const cases: ReadonlyArray<unknown> = [
        { type: "", data: {} },
        { type: "T", data: "text" },
        { type: "T", data: 42 },
        { type: "T", data: {}, id: "not-a-uuid" },
        { type: "T", data: {}, metadata: [] }
      ]
      for (const event of cases) {
        const error = yield* Effect.flip(EventStore.append(id, [event as never]))
        assert.strictEqual(error._tag, "InvalidEvent", JSON.stringify(event))
      }
      const eventId = crypto.randomUUID()
      const mixed = yield* Effect.flip(
        EventStore.append(id, [
          { id: crypto.randomUUID(), type: "T", data: {} },
          { type: "T", data: {} }
        ])
      )
      assert.strictEqual(mixed._tag, "InvalidEvent")
      const twice = yield* Effect.flip(
        EventStore.append(id, [
          { id: eventId, type: "T", data: {} },
          { id: eventId, type: "T", data: {} }
        ])
      )
      assert.strictEqual(twice._tag, "InvalidEvent")
      assert.strictEqual(yield* EventStore.streamVersion(id), 0)
    })
  )

  it.effect("a batch that is not an array, or an expectation that is not one, fails with InvalidArgument", () =>
    Effect.gen(function* () {
      const id = uniqueStream("not-a-batch")
      const store = yield* EventStore.EventStore
      for (const batch of [null, undefined, "events", 42, { type: "Incremented", data: { by: 1 } }, { length: 1 }]) {
        const error = yield* Effect.flip(store.append(id, batch as never))
        assert.strictEqual(error._tag, "InvalidArgument", String(batch))
      }
      for (const expectedVersion of [{ _tag: "Sometimes" }, null, "any", 3]) {
        const error = yield* Effect.flip(store.append(id, increments(1), { expectedVersion } as never))
        assert.strictEqual(error._tag, "InvalidArgument", String(expectedVersion))
      }
      assert.strictEqual(yield* EventStore.streamVersion(id), 0)
      assert.deepStrictEqual(yield* readStreamAll(id), [])
    })
  )

  it.effect("stream ids and event types must be well-formed Unicode; every text comes back exactly as given", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      for (const lone of ["\uD800", "\uDFFF", "a\uDC00b", "\uD83D"]) {
        const stream = uniqueStream(`lone${lone}`)
        assert.strictEqual((yield* Effect.flip(store.append(stream, increments(1))))._tag, "InvalidStreamId")
        assert.strictEqual((yield* Effect.flip(store.streamVersion(stream)))._tag, "InvalidStreamId")
        const typed = uniqueStream("lone-type")
        const error = yield* Effect.flip(store.append(typed, [{ type: `Noted${lone}`, data: {} }]))
        assert.strictEqual(error._tag, "InvalidEvent")
        assert.strictEqual(yield* store.streamVersion(typed), 0)
      }
      // Astral characters (surrogate pairs), and lone surrogates inside data and metadata (JSON escapes them).
      const head = yield* store.headPosition
      const stream = uniqueStream("astral-\uD83D\uDE80-\uD834\uDD1E")
      const type = "Noted-\uD83C\uDF89"
      const data = { text: "\uD83D\uDE00 and a lone \uD800 half", list: ["\uDFFF"] }
      const metadata = { note: "\uDBFF\uDFFF", lone: "\uDC00" }
      yield* store.append(stream, [{ type, data, metadata }])
      const [event] = yield* readStreamAll(stream)
      assert.strictEqual(event?.streamId, stream)
      assert.strictEqual(event?.type, type)
      assert.deepStrictEqual(event?.data, data)
      assert.deepStrictEqual(event?.metadata, metadata)
      const global = (yield* readAllFrom({ after: head })).find((e) => e.id === event?.id)
      assert.deepStrictEqual([global?.streamId, global?.type], [stream, type])
    })
  )

  it.effect("rejects invalid stream ids with InvalidStreamId", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      for (const bad of ["", "a\u0000b", "line\nbreak", "x".repeat(257)]) {
        assert.strictEqual((yield* Effect.flip(store.append(bad, increments(1))))._tag, "InvalidStreamId")
        assert.strictEqual((yield* Effect.flip(readStreamAll(bad)))._tag, "InvalidStreamId")
        assert.strictEqual((yield* Effect.flip(store.streamVersion(bad)))._tag, "InvalidStreamId")
      }
      const tricky = `x'; DROP TABLE events;-- ${crypto.randomUUID()} "ünï©ødé" 🚀`
      yield* store.append(tricky, increments(1))
      const [event] = yield* readStreamAll(tricky)
      assert.strictEqual(event?.streamId, tricky)
    })
  )

  it.effect("keeps metadata, event ids and the Clock's time", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(1_700_000_000_123)
      const id = uniqueStream("metadata")
      const eventId = crypto.randomUUID()
      const metadata = { correlationId: "corr-1", causationId: "cause-1", user: { name: "ann", roles: ["a"] } }
      yield* EventStore.append(id, [
        { id: eventId, type: "Noted", data: { text: "hi", nested: [1, { a: null }] }, metadata }
      ])
      const [event] = yield* readStreamAll(id)
      assert.strictEqual(event?.id, eventId)
      assert.deepStrictEqual(event?.metadata, metadata)
      assert.deepStrictEqual(event?.data, { text: "hi", nested: [1, { a: null }] })
      assert.strictEqual(event?.recordedAt.getTime(), 1_700_000_000_123)
    })
  )
}
