// ExportFormat at its edges: each field a line can get wrong, blank lines, where an import stops for a stream id or a
// conflict among several streams, an export from a position, and an export that waits for an event committed before
// it began but not yet readable (as on PostgreSQL while an older transaction is open).
import { EventStore, Position, StoreAdmin } from "@chronicle/core"
import { InMemoryEventStore } from "@chronicle/store-memory"
import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Either, Fiber, Stream } from "effect"
import { ExportFormat } from "../src/index.js"

const line = (fields: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: crypto.randomUUID(),
    streamId: "S",
    version: 1,
    type: "T",
    data: { a: 1 },
    metadata: {},
    recordedAt: "2026-01-01T00:00:00.000Z",
    ...fields
  })

const reason = (text: string) =>
  Either.match(ExportFormat.decode(text, 3), { onLeft: (e) => e.reason, onRight: () => "ok" })

/** Exports the store in context to lines, with what `onWaiting` heard. */
const exportLines = (options: Omit<Parameters<typeof ExportFormat.exportEvents>[0], "write"> = {}) =>
  Effect.gen(function* () {
    let text = ""
    const count = yield* ExportFormat.exportEvents({
      ...options,
      write: (piece) =>
        Effect.sync(() => {
          text += piece
        })
    })
    return {
      count,
      lines: text
        .trimEnd()
        .split("\n")
        .filter((l) => l.length > 0)
    }
  })

describe("ExportFormat.decode", () => {
  it("names each text field that is not text, and what is no object", () => {
    for (const field of ["id", "streamId", "type", "recordedAt"]) {
      assert.strictEqual(reason(line({ [field]: 5 })), `"${field}" must be a string`)
    }
    assert.strictEqual(reason("null"), "not a JSON object")
    assert.strictEqual(reason('"text"'), "not a JSON object")
    assert.strictEqual(reason(line({ tags: ["a", 1] })), '"tags" must be an array of strings')
    assert.strictEqual(reason(line({ recordedAt: "someday" })), '"recordedAt" is not a date: "someday"')
  })

  it("reads a line without metadata or tags as an event with empty metadata and no tags", () => {
    const decoded = ExportFormat.decode(line({ metadata: undefined }), 1)
    assert.isTrue(Either.isRight(decoded))
    if (Either.isRight(decoded)) {
      assert.deepStrictEqual(decoded.right.metadata, {})
      assert.isFalse("tags" in decoded.right)
    }
  })

  it("is a schema of errors named by the package", () => {
    assert.include(String(ExportFormat.InvalidLine), "@chronicle/cli/InvalidLine")
    assert.include(String(ExportFormat.ImportStopped), "@chronicle/cli/ImportStopped")
  })
})

describe("ExportFormat.importLines", () => {
  it.effect("passes over blank lines, whitespace only included", () =>
    Effect.gen(function* () {
      const lines = [line({ version: 1 }), "   ", "", line({ version: 2 })]
      const summary = yield* ExportFormat.importLines(Stream.fromIterable(lines))
      assert.deepStrictEqual(summary, { read: 2, written: 2, skipped: 0 })
    }).pipe(Effect.provide(InMemoryEventStore.layer))
  )

  it.effect("stops at the line of an event whose stream id is invalid", () =>
    Effect.gen(function* () {
      const lines = [line({ streamId: "A" }), line({ streamId: "" }), line({ streamId: "B" })]
      const error = yield* Effect.flip(ExportFormat.importLines(Stream.fromIterable(lines)))
      assert.deepStrictEqual(error._tag === "ImportStopped" ? [error.line, error.imported] : error, [2, 0])
    }).pipe(Effect.provide(InMemoryEventStore.layer))
  )

  it.effect("stops at the line of the conflicting event, not another stream's at the same version", () =>
    Effect.gen(function* () {
      yield* EventStore.append("B", [{ type: "T", data: { other: true } }])
      const lines = [line({ streamId: "A" }), line({ streamId: "B" })]
      const error = yield* Effect.flip(ExportFormat.importLines(Stream.fromIterable(lines)))
      assert.deepStrictEqual(error._tag === "ImportStopped" ? [error.line, error.imported] : error, [2, 0])
    }).pipe(Effect.provide(InMemoryEventStore.layer))
  )
})

describe("ExportFormat.exportEvents", () => {
  it.effect("from a position: the events after it", () =>
    Effect.gen(function* () {
      const appended = yield* EventStore.append(
        "S",
        [1, 2, 3].map((n) => ({ type: "T", data: { n } }))
      )
      const { count, lines } = yield* exportLines({ after: appended.positions[0]! })
      assert.strictEqual(count, 2)
      assert.deepStrictEqual(
        lines.map((l) => JSON.parse(l).version),
        [2, 3]
      )
    }).pipe(Effect.provide(InMemoryEventStore.layer))
  )

  it.effect("waits for an event committed before it began that reads do not show yet, saying so", () =>
    Effect.gen(function* () {
      yield* EventStore.append("S", [{ type: "T", data: { n: 1 } }])
      const admin = yield* StoreAdmin.StoreAdmin
      // The store's admin says position 2 is committed; reads show only position 1 so far.
      const second = Position.parse("2")!
      const waiting = yield* Deferred.make<Position.Position>()
      const exporting = yield* exportLines({ onWaiting: (at) => Deferred.succeed(waiting, at) }).pipe(
        Effect.provideService(StoreAdmin.StoreAdmin, { ...admin, lastCommitted: Effect.succeed(second) }),
        Effect.fork
      )
      assert.strictEqual(Position.format(yield* Deferred.await(waiting)), "2")
      yield* EventStore.append(
        "S",
        [2, 3].map((n) => ({ type: "T", data: { n } }))
      )
      const { count, lines } = yield* Fiber.join(exporting)
      // Up to and including the event it waited for; not the one after it.
      assert.strictEqual(count, 2)
      assert.deepStrictEqual(
        lines.map((l) => JSON.parse(l).data.n),
        [1, 2]
      )
    }).pipe(Effect.provide(InMemoryEventStore.layer))
  )
})
