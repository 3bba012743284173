import { EventStore, StoreAdmin } from "@chronicle/core"
import { InMemoryEventStore } from "@chronicle/store-memory"
import { assert, describe, it, vi } from "@effect/vitest"
import { Chunk, Effect, Either, FastCheck, Stream } from "effect"
import { ExportFormat } from "../src/index.js"
import * as Progress from "../src/commandLine/Progress.js"

/** Exports the store in context to text. */
const exportText = Effect.gen(function* () {
  let text = ""
  const count = yield* ExportFormat.exportEvents({
    write: (piece) =>
      Effect.sync(() => {
        text += piece
      })
  })
  return { text, count }
})

const linesOfText = (text: string) => Stream.fromIterable(text.split("\n"))

describe("ExportFormat", () => {
  it("export, import into another store, export: the same text; a second import writes nothing", () =>
    FastCheck.assert(
      FastCheck.asyncProperty(
        FastCheck.array(
          FastCheck.record({
            stream: FastCheck.constantFrom("A-1", "A-2", "Ünïcödé-✓"),
            type: FastCheck.constantFrom("Opened", "Deposited", "Ünïcödé ✓"),
            data: FastCheck.dictionary(FastCheck.string(), FastCheck.jsonValue()),
            metadata: FastCheck.dictionary(FastCheck.string(), FastCheck.jsonValue()),
            tags: FastCheck.uniqueArray(
              FastCheck.constantFrom("account:A-1", "customer:7", "day:2024-03-01", "Ünï:✓"),
              {
                maxLength: 3
              }
            )
          }),
          { maxLength: 30 }
        ),
        async (events) => {
          const source = Effect.gen(function* () {
            for (const e of events) {
              yield* EventStore.append(e.stream, [{ type: e.type, data: e.data, metadata: e.metadata, tags: e.tags }])
            }
            return yield* exportText
          })
          const first = await Effect.runPromise(Effect.provide(source, InMemoryEventStore.layer))
          const target = Effect.gen(function* () {
            const imported = yield* ExportFormat.importLines(linesOfText(first.text))
            const again = yield* ExportFormat.importLines(linesOfText(first.text))
            return { imported, again, second: yield* exportText }
          })
          const { again, imported, second } = await Effect.runPromise(Effect.provide(target, InMemoryEventStore.layer))
          assert.deepStrictEqual(imported, { read: events.length, written: events.length, skipped: 0 })
          assert.deepStrictEqual(again, { read: events.length, written: 0, skipped: events.length })
          assert.strictEqual(second.text, first.text)
          // Tags are in the file, so the same text means the same tags; an untagged event's line has no "tags".
          const tagged = first.text.split("\n").filter((line) => line.includes('"tags":')).length
          assert.strictEqual(tagged, events.filter((e) => e.tags.length > 0).length)
          assert.strictEqual(first.count, events.length)
        }
      ),
      { numRuns: 30 }
    ))

  it("decode names what is wrong with a line", () => {
    const good = ExportFormat.encode({
      id: "6f03ab62-a152-4206-9aac-5561447f370f",
      streamId: "S" as never,
      version: 1,
      position: undefined as never,
      type: "T",
      data: { a: 1 },
      metadata: {},
      tags: [],
      recordedAt: new Date(0)
    })
    assert.strictEqual(
      good,
      '{"id":"6f03ab62-a152-4206-9aac-5561447f370f","streamId":"S","version":1,"type":"T","data":{"a":1},"metadata":{},"recordedAt":"1970-01-01T00:00:00.000Z"}'
    )
    assert.isTrue(Either.isRight(ExportFormat.decode(good, 1)))
    const reason = (text: string) =>
      Either.match(ExportFormat.decode(text, 7), { onLeft: (e) => e.message, onRight: () => "ok" })
    assert.strictEqual(reason("nope"), "line 7 is not an exported event: not JSON")
    assert.strictEqual(reason("[]"), "line 7 is not an exported event: not a JSON object")
    assert.strictEqual(
      reason(good.replace('"version":1', '"version":"1"')),
      'line 7 is not an exported event: "version" must be a number'
    )
    assert.strictEqual(
      reason(good.replace(',"data":{"a":1}', "")),
      'line 7 is not an exported event: "data" is missing'
    )
    assert.strictEqual(
      reason(good.replace('"metadata":{}', '"metadata":[]')),
      'line 7 is not an exported event: "metadata" must be a JSON object'
    )
    assert.strictEqual(
      reason(good.replace('"metadata":{}', '"metadata":{},"tags":"a"')),
      'line 7 is not an exported event: "tags" must be an array of strings'
    )
    const tagged = good.replace('"metadata":{}', '"metadata":{},"tags":["account:1"]')
    assert.deepStrictEqual(
      Either.map(ExportFormat.decode(tagged, 1), (event) => event.tags),
      Either.right(["account:1"])
    )
  })

  it.effect("an import stops at the line of a conflict, with the chunks before it imported", () =>
    Effect.gen(function* () {
      const events = Array.from({ length: 1_500 }, (_, i) => ({ type: "N", data: { i } }))
      yield* EventStore.append("S", events)
      const { text } = yield* exportText
      const lines = text.trimEnd().split("\n")
      // Another store already holds another event at version 1,200 of S.
      const target = Effect.gen(function* () {
        const conflicting = JSON.parse(lines[1_199]!)
        yield* ExportFormat.importLines(Stream.fromIterable(lines.slice(0, 1_199)))
        yield* StoreAdmin.importEvents([
          { ...conflicting, id: crypto.randomUUID(), recordedAt: new Date(conflicting.recordedAt) }
        ])
        const error = yield* Effect.flip(ExportFormat.importLines(Stream.fromIterable(lines)))
        assert.strictEqual(error._tag, "ImportStopped")
        if (error._tag === "ImportStopped") {
          assert.deepStrictEqual([error.line, error.imported], [1_200, 1_000])
          assert.include(error.message, 'line 1200: Import conflicts with the history of stream "S" at version 1200')
        }
        assert.strictEqual((yield* StoreAdmin.stats).events, 1_200)
      })
      yield* Effect.provide(target, InMemoryEventStore.layer)
    }).pipe(Effect.provide(InMemoryEventStore.layer))
  )

  it.effect("linesOf splits lines across pieces, \\r\\n too, and keeps characters cut between pieces whole", () =>
    Effect.gen(function* () {
      const bytes = new TextEncoder().encode("first ✓\r\nsecond\nthird ✓✓\n")
      const pieces = [bytes.slice(0, 7), bytes.slice(7, 20), bytes.slice(20)]
      let counted = 0
      const lines = yield* Stream.runCollect(
        ExportFormat.linesOf(
          (async function* () {
            yield* pieces
          })(),
          (error) => error,
          (n) => {
            counted += n
          }
        )
      )
      assert.deepStrictEqual(Chunk.toReadonlyArray(lines), ["first ✓", "second", "third ✓✓"])
      assert.strictEqual(counted, bytes.byteLength)
    })
  )
})

describe("Progress", () => {
  it.effect("off a terminal, a plain line at most every interval, and nothing to clear at the end", () =>
    Effect.gen(function* () {
      const written: Array<string> = []
      const write = vi.spyOn(process.stderr, "write").mockImplementation((text) => {
        written.push(String(text))
        return true
      })
      const tty = process.stderr.isTTY
      process.stderr.isTTY = false
      try {
        const progress = Progress.make("Importing", 0)
        yield* progress.update(1_000, 0.5)
        yield* progress.update(2_000, 1)
        yield* progress.done
        const slow = Progress.make("Importing", 60_000)
        yield* slow.update(1_000, 0.5)
      } finally {
        process.stderr.isTTY = tty
        write.mockRestore()
      }
      assert.strictEqual(written.length, 2)
      assert.match(written[0]!, /^Importing {2}50% 1,000 events, [\d,]+ events\/s, \d+s left\n$/)
      assert.match(written[1]!, /^Importing 100% 2,000 events, [\d,]+ events\/s, 0s left\n$/)
    })
  )

  it("a bar with the share done, the count, the rate and the time left; without a total, count and rate", () => {
    assert.strictEqual(
      Progress.describe("Exporting", { events: 45_000, fraction: 0.45, elapsedMillis: 900 }, true),
      "Exporting [###########-------------]  45% 45,000 events, 50,000 events/s, 1s left"
    )
    assert.strictEqual(
      Progress.describe("Exporting", { events: 45_000, fraction: 0.45, elapsedMillis: 90_000 }, false),
      "Exporting  45% 45,000 events, 500 events/s, 1m50s left"
    )
    assert.strictEqual(
      Progress.describe("Importing", { events: 1, fraction: undefined, elapsedMillis: 1000 }, true),
      "Importing 1 event, 1 events/s"
    )
  })
})
