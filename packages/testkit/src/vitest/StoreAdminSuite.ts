/**
 * The conformance suite of the `StoreAdmin` service: every store lists its streams, counts its events and imports
 * exported events alike.
 *
 * @since 0.1.0
 */
import { EventStore, Position, StoreAdmin } from "@chronicle/core"
import { assert, layer } from "@effect/vitest"
import { Chunk, Deferred, Effect, Fiber, type Layer, Stream } from "effect"
import { increments, readAllFrom, readStreamAll, uniqueStream } from "./internal/fixtures.js"

type Services = EventStore.EventStore | StoreAdmin.StoreAdmin

/** `n` events to import into a stream, versions `from`, `from + 1`, ..., recorded a minute apart from `at`. */
const imported = (streamId: string, n: number, options: { readonly from?: number; readonly at?: number } = {}) =>
  Array.from(
    { length: n },
    (_, i): StoreAdmin.ImportEvent => ({
      id: crypto.randomUUID(),
      streamId,
      version: (options.from ?? 1) + i,
      type: "Imported",
      data: { n: i, nested: { list: [1, "two", null] } },
      metadata: { correlationId: `c-${i}`, source: "suite" },
      tags: i % 2 === 0 ? [`imported:${i}`, "suite"] : [],
      recordedAt: new Date((options.at ?? Date.UTC(2020, 0, 1)) + i * 60_000)
    })
  )

const everything = (prefix: string) =>
  Effect.gen(function* () {
    const admin = yield* StoreAdmin.StoreAdmin
    const out: Array<StoreAdmin.StreamInfo> = []
    let after: string | undefined
    for (;;) {
      const page = yield* admin.listStreams({ prefix, limit: 2, ...(after === undefined ? {} : { after }) })
      out.push(...page.streams)
      if (page.next === undefined) return out
      after = page.next
    }
  })

/**
 * Registers the `StoreAdmin` suite. The layer must provide a fresh, empty store (the first case checks the totals of
 * an empty store); the cases run one after the other on it.
 *
 * Covers: stats of an empty store and after appends (events, streams, head, first and last `recordedAt`, counts per
 * type, a size that is known or explicitly unknown); streams listed by prefix, in id order, paged by a cursor, with
 * version, last position and time; counts after a position; imports keeping ids, versions, data, metadata and times,
 * writing nothing when repeated, completing a partial import, refusing conflicting histories and gaps without writing
 * anything of the call, validating events as `append` does, and waking subscribers; bad arguments.
 *
 * @since 0.1.0
 * @category suites
 */
export const storeAdminSuite = <E>(name: string, storeLayer: Layer.Layer<Services, E>): void =>
  layer(storeLayer, { timeout: "60 seconds" })(`StoreAdmin conformance: ${name}`, (it) => {
    it.effect("an empty store has no events, no streams, no times, and a head at the start", () =>
      Effect.gen(function* () {
        const stats = yield* StoreAdmin.stats
        assert.strictEqual(stats.events, 0)
        assert.strictEqual(stats.streams, 0)
        assert.deepStrictEqual(stats.head, Position.start)
        assert.isUndefined(stats.firstRecordedAt)
        assert.isUndefined(stats.lastRecordedAt)
        assert.deepStrictEqual(stats.eventTypes, [])
        assert.include(["Known", "Unknown"], stats.size._tag)
        assert.deepStrictEqual(yield* StoreAdmin.listStreams(), { streams: [], next: undefined })
        assert.strictEqual(yield* StoreAdmin.countAfter(Position.start), 0)
        assert.deepStrictEqual(yield* StoreAdmin.lastCommitted, Position.start)
      })
    )

    it.effect("stats count events, streams and types, and find the head and the first and last times", () =>
      Effect.gen(function* () {
        const before = yield* StoreAdmin.stats
        const [a, b] = [uniqueStream("stats-a"), uniqueStream("stats-b")]
        const type = `Counted-${crypto.randomUUID()}`
        yield* EventStore.append(a, [...increments(3), { type, data: { x: 1 } }])
        const last = yield* EventStore.append(b, [{ type, data: { x: 2 } }])
        // Imported times in no order: the earliest and the latest are neither the first nor the last written.
        yield* StoreAdmin.importEvents([
          ...imported(uniqueStream("stats-late"), 1, { at: Date.UTC(2100, 0, 1) }),
          ...imported(uniqueStream("stats-early"), 1, { at: Date.UTC(1950, 0, 1) }),
          ...imported(uniqueStream("stats-between"), 1, { at: Date.UTC(2000, 0, 1) })
        ])
        const stats = yield* StoreAdmin.stats
        assert.strictEqual(stats.events, before.events + 8)
        assert.strictEqual(stats.streams, before.streams + 5)
        assert.strictEqual(
          stats.eventTypes.reduce((sum, t) => sum + t.count, 0),
          stats.events
        )
        assert.deepStrictEqual(
          stats.eventTypes.find((t) => t.type === type),
          { type, count: 2 }
        )
        const types = stats.eventTypes.map((t) => t.type)
        assert.deepStrictEqual(types, [...types].sort())
        assert.isTrue(Position.isAfter(stats.head, last.positions[0]!))
        assert.deepStrictEqual(stats.head, yield* EventStore.headPosition)
        assert.strictEqual(stats.firstRecordedAt?.toISOString(), "1950-01-01T00:00:00.000Z")
        assert.strictEqual(stats.lastRecordedAt?.toISOString(), "2100-01-01T00:00:00.000Z")
        if (stats.size._tag === "Known") assert.isAbove(stats.size.bytes, 0)
      })
    )

    it.effect("streams are listed by prefix in id order, paged by a cursor, with version, position and time", () =>
      Effect.gen(function* () {
        const prefix = `List-${crypto.randomUUID()}-`
        const ids = ["c", "a", "b", "a-1", "d"].map((suffix) => `${prefix}${suffix}`)
        const results = []
        for (const [i, id] of ids.entries()) results.push(yield* EventStore.append(id, increments(i + 1)))
        yield* EventStore.append(uniqueStream("List-other"), increments(1))
        const listed = yield* everything(prefix)
        assert.deepStrictEqual(
          listed.map((s) => s.streamId),
          [...ids].sort()
        )
        for (const info of listed) {
          const i = ids.indexOf(info.streamId)
          assert.strictEqual(info.version, i + 1)
          assert.deepStrictEqual(info.position, results[i]!.positions.at(-1))
          const [lastEvent] = yield* readStreamAll(info.streamId, { direction: "backward", maxCount: 1 })
          assert.strictEqual(info.lastRecordedAt.getTime(), lastEvent!.recordedAt.getTime())
        }
        const first = yield* StoreAdmin.listStreams({ prefix, limit: 3 })
        assert.strictEqual(first.streams.length, 3)
        assert.strictEqual(first.next, first.streams[2]!.streamId)
        const rest = yield* StoreAdmin.listStreams({ prefix, limit: 3, after: first.next! })
        assert.deepStrictEqual(
          rest.streams.map((s) => s.streamId),
          [...ids].sort().slice(3)
        )
        assert.isUndefined(rest.next)
        const none = yield* StoreAdmin.listStreams({ prefix: `${prefix}zzz` })
        assert.deepStrictEqual(none, { streams: [], next: undefined })
        const all = yield* StoreAdmin.listStreams({ limit: 1_000 })
        const allIds = all.streams.map((s) => s.streamId)
        assert.deepStrictEqual(allIds, [...allIds].sort())
      })
    )

    it.effect("countAfter counts the events after a position: a checkpoint's lag", () =>
      Effect.gen(function* () {
        const id = uniqueStream("lag")
        const result = yield* EventStore.append(id, increments(5))
        const head = yield* EventStore.headPosition
        assert.strictEqual(yield* StoreAdmin.countAfter(head), 0)
        assert.strictEqual(yield* StoreAdmin.countAfter(result.positions[1]!), 3)
        assert.strictEqual(yield* StoreAdmin.countAfter(Position.start), (yield* StoreAdmin.stats).events)
      })
    )

    it.effect("lastCommitted is the last committed event's position, never behind the head", () =>
      Effect.gen(function* () {
        const result = yield* EventStore.append(uniqueStream("committed"), increments(3))
        const last = result.positions[2]!
        const committed = yield* StoreAdmin.lastCommitted
        // Nothing else writes this store now: the last committed event is this append's last.
        assert.deepStrictEqual(committed, last)
        assert.isFalse(Position.isBefore(committed, yield* EventStore.headPosition))
      })
    )

    it.effect("bad arguments are InvalidArgument", () =>
      Effect.gen(function* () {
        const admin = yield* StoreAdmin.StoreAdmin
        const bad = [
          yield* Effect.flip(admin.listStreams({ limit: 0 })),
          yield* Effect.flip(admin.listStreams({ limit: 1.5 })),
          yield* Effect.flip(admin.listStreams({ prefix: 42 as unknown as string })),
          yield* Effect.flip(admin.countAfter(5 as unknown as Position.Position)),
          yield* Effect.flip(admin.importEvents("nope" as unknown as ReadonlyArray<StoreAdmin.ImportEvent>))
        ]
        for (const error of bad) assert.strictEqual(error._tag, "InvalidArgument")
      })
    )

    it.effect("an import keeps ids, stream ids, versions, types, data, metadata, tags and times", () =>
      Effect.gen(function* () {
        const id = uniqueStream("import")
        const events = imported(id, 4)
        const head = yield* EventStore.headPosition
        assert.deepStrictEqual(yield* StoreAdmin.importEvents(events), { written: 4, skipped: 0 })
        const read = yield* readStreamAll(id)
        assert.deepStrictEqual(
          read.map((e) => ({
            id: e.id,
            streamId: e.streamId as string,
            version: e.version,
            type: e.type,
            data: e.data,
            metadata: e.metadata,
            tags: e.tags,
            recordedAt: e.recordedAt.toISOString()
          })),
          events.map((e) => ({ ...e, recordedAt: e.recordedAt.toISOString() }))
        )
        const after = yield* readAllFrom({ after: head })
        assert.deepStrictEqual(
          after.map((e) => e.id),
          events.map((e) => e.id)
        )
        assert.strictEqual(yield* EventStore.streamVersion(id), 4)
      })
    )

    it.effect("importing the same events again writes nothing; a partial import is completed", () =>
      Effect.gen(function* () {
        const id = uniqueStream("reimport")
        const events = imported(id, 6)
        yield* StoreAdmin.importEvents(events.slice(0, 2))
        assert.deepStrictEqual(yield* StoreAdmin.importEvents(events), { written: 4, skipped: 2 })
        const head = yield* EventStore.headPosition
        assert.deepStrictEqual(yield* StoreAdmin.importEvents(events), { written: 0, skipped: 6 })
        assert.deepStrictEqual(yield* StoreAdmin.importEvents(events.slice(3)), { written: 0, skipped: 3 })
        assert.deepStrictEqual(yield* EventStore.headPosition, head)
        const upper = events.map((e) => ({ ...e, id: e.id.toUpperCase() }))
        assert.deepStrictEqual(yield* StoreAdmin.importEvents(upper), { written: 0, skipped: 6 })
        // Appending goes on after an import, and an import after appends.
        yield* EventStore.append(id, increments(1))
        assert.deepStrictEqual(yield* StoreAdmin.importEvents(imported(id, 2, { from: 8 })), { written: 2, skipped: 0 })
        assert.strictEqual(yield* EventStore.streamVersion(id), 9)
      })
    )

    it.effect("events of many streams, interleaved, are imported in the order given", () =>
      Effect.gen(function* () {
        const ids = Array.from({ length: 5 }, () => uniqueStream("interleaved"))
        const perStream = ids.map((id) => imported(id, 40))
        const events = Array.from({ length: 200 }, (_, i) => perStream[i % 5]![Math.floor(i / 5)]!)
        const head = yield* EventStore.headPosition
        assert.deepStrictEqual(yield* StoreAdmin.importEvents(events), { written: 200, skipped: 0 })
        const read = yield* readAllFrom({ after: head })
        assert.deepStrictEqual(
          read.map((e) => `${e.streamId}@${e.version}`),
          events.map((e) => `${e.streamId}@${e.version}`)
        )
        assert.deepStrictEqual(yield* StoreAdmin.importEvents(events), { written: 0, skipped: 200 })
      })
    )

    it.effect("a conflicting history stops the import with ImportConflict and writes nothing of the call", () =>
      Effect.gen(function* () {
        const taken = uniqueStream("taken")
        yield* EventStore.append(taken, increments(2))
        const fresh = uniqueStream("fresh")
        const head = yield* EventStore.headPosition
        const conflicts = [
          // another event at version 2
          [...imported(fresh, 3), ...imported(taken, 1, { from: 2 })],
          // a gap: version 4 of a stream at version 2
          [...imported(fresh, 3), ...imported(taken, 1, { from: 4 })],
          // a gap in a new stream
          imported(uniqueStream("gap"), 2, { from: 3 }),
          // after two runs of one stream, with another stream's between them
          [
            ...imported(fresh, 2),
            ...imported(uniqueStream("between"), 1),
            ...imported(fresh, 1, { from: 3 }),
            ...imported(taken, 1, { from: 2 })
          ]
        ]
        for (const events of conflicts) {
          const error = yield* Effect.flip(StoreAdmin.importEvents(events))
          assert.strictEqual(error._tag, "ImportConflict")
          assert.include(error.message, "Import conflicts with the history of stream")
        }
        assert.deepStrictEqual(yield* EventStore.headPosition, head)
        assert.strictEqual(yield* EventStore.streamVersion(fresh), 0)
        assert.deepStrictEqual(
          (yield* everything(fresh)).map((s) => s.streamId),
          []
        )
      })
    )

    it.effect("a stored id with another payload or at another version is a conflict", () =>
      Effect.gen(function* () {
        const id = uniqueStream("payload")
        const events = imported(id, 3)
        yield* StoreAdmin.importEvents(events)
        const changed = yield* Effect.flip(
          StoreAdmin.importEvents([events[0]!, { ...events[1]!, data: { changed: true } }])
        )
        assert.strictEqual(changed._tag, "ImportConflict")
        if (changed._tag === "ImportConflict")
          assert.deepStrictEqual([changed.version, changed.eventId], [2, events[1]!.id])
        const moved = yield* Effect.flip(StoreAdmin.importEvents([{ ...events[0]!, version: 4 }]))
        assert.strictEqual(moved._tag, "ImportConflict")
        const otherStream = yield* StoreAdmin.importEvents([{ ...events[0]!, streamId: uniqueStream("same-id") }])
        assert.deepStrictEqual(otherStream, { written: 1, skipped: 0 })
        assert.strictEqual(yield* EventStore.streamVersion(id), 3)
      })
    )

    it.effect("imported events are validated as appended ones, and nothing of an invalid call is written", () =>
      Effect.gen(function* () {
        const id = uniqueStream("invalid")
        const [good] = imported(id, 1)
        const cases: ReadonlyArray<readonly [string, StoreAdmin.ImportEvent]> = [
          ["InvalidEvent", { ...good!, id: "not-a-uuid" }],
          ["InvalidEvent", { ...good!, id: undefined as unknown as string }],
          ["InvalidEvent", { ...good!, version: 0 }],
          ["InvalidEvent", { ...good!, version: 1.5 }],
          ["InvalidEvent", { ...good!, type: "" }],
          ["InvalidEvent", { ...good!, data: "text" }],
          ["InvalidEvent", { ...good!, metadata: [] as unknown as StoreAdmin.ImportEvent["metadata"] & object }],
          ["InvalidEvent", { ...good!, recordedAt: new Date(Number.NaN) }],
          ["InvalidStreamId", { ...good!, streamId: "" }]
        ]
        for (const [tag, bad] of cases) {
          const error = yield* Effect.flip(StoreAdmin.importEvents([...imported(uniqueStream("before"), 1), bad]))
          assert.strictEqual(error._tag, tag, JSON.stringify(bad))
          if (error._tag === "InvalidEvent") assert.strictEqual(error.index, 1)
        }
        assert.strictEqual(yield* EventStore.streamVersion(id), 0)
        assert.deepStrictEqual(yield* StoreAdmin.importEvents([]), { written: 0, skipped: 0 })
      })
    )

    it.effect("an import wakes live subscribers", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const id = uniqueStream("import-live")
        const head = yield* store.headPosition
        const started = yield* Deferred.make<void>()
        const fiber = yield* store.subscribe({ after: head }).pipe(
          Stream.onStart(Deferred.succeed(started, undefined)),
          Stream.filter((e) => e.streamId === id),
          Stream.take(2),
          Stream.runCollect,
          Effect.fork
        )
        yield* Deferred.await(started)
        for (let i = 0; i < 50; i++) yield* Effect.yieldNow()
        yield* StoreAdmin.importEvents(imported(id, 2))
        const received = Chunk.toReadonlyArray(yield* Fiber.join(fiber))
        assert.deepStrictEqual(
          received.map((e) => e.version),
          [1, 2]
        )
      })
    )
  })
