import * as path from "node:path"
import { BankAccount } from "@chronicle/bank-account"
import { EventStore, Position, type RecordedEvent } from "@chronicle/core"
import { assert, describe, it } from "@effect/vitest"
import * as SqlClient from "@effect/sql/SqlClient"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Chunk, Effect, Either, Layer, Stream } from "effect"
import { SqliteEventStore } from "../src/index.js"
import { tempDir } from "./fixtures/tempDir.js"

/** The store's own connection, and the shared SQL engine over an application's `SqliteClient`. */
const storeLayers = {
  layerWithClient: Layer.unwrapScoped(
    Effect.map(tempDir("rows"), (dir) => SqliteEventStore.layerWithClient({ filename: path.join(dir, "db.sqlite") }))
  ),
  layerFromClient: Layer.unwrapScoped(
    Effect.map(tempDir("rows-client"), (dir) =>
      Layer.provideMerge(
        SqliteEventStore.layerFromClient(),
        SqliteClient.layer({ filename: path.join(dir, "db.sqlite") })
      )
    )
  )
}

const collect = <E, R>(stream: Stream.Stream<RecordedEvent.RecordedEvent, E, R>) =>
  Effect.map(Stream.runCollect(stream), Chunk.toReadonlyArray)

const openAccount = (label: string) =>
  Effect.gen(function* () {
    const accountId = `${label}-${crypto.randomUUID()}`
    yield* BankAccount.handler.handle(
      BankAccount.streamId(accountId),
      BankAccount.OpenAccount.make({ accountId, ownerName: "Ada", openedAt: new Date(0) })
    )
    return BankAccount.streamId(accountId)
  })

const insertRow = (streamId: string, version: number, type: string, data: string) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) => sql`INSERT INTO chronicle_events (stream_id, version, event_id, type, data, metadata, recorded_at)
      VALUES (${streamId}, ${version}, ${crypto.randomUUID()}, ${type}, ${data}, '{}', 0)`
  )

describe.each(Object.entries(storeLayers))("SqliteEventStore stored rows (%s)", (_, storeLayer) => {
  it.layer(storeLayer)((it) => {
    it.effect("a row with broken JSON fails reads with EventDecodeError naming it; other streams still read", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const broken = yield* openAccount("broken")
        const healthy = yield* openAccount("healthy")
        const before = yield* store.headPosition
        yield* insertRow(broken, 2, "MoneyDeposited", '{"amount": 10, "balanceAft')
        const position = yield* store.headPosition

        const error = yield* Effect.flip(collect(store.readStream(broken)))
        assert.strictEqual(error._tag, "EventDecodeError")
        if (error._tag === "EventDecodeError") {
          assert.strictEqual(error.streamId, broken)
          assert.strictEqual(error.version, 2)
          assert.deepStrictEqual(error.position, position)
          assert.strictEqual(error.type, "MoneyDeposited")
          assert.include(error.message, broken)
        }
        const viaReadAll = yield* Effect.flip(collect(store.readAll({ after: before })))
        assert.strictEqual(viaReadAll._tag, "EventDecodeError")
        const backward = yield* Effect.flip(collect(store.readStream(broken, { direction: "backward" })))
        assert.strictEqual(backward._tag, "EventDecodeError")
        // The event before the broken one still reads.
        const first = yield* collect(store.readStream(broken, { maxCount: 1 }))
        assert.strictEqual(first.length, 1)
        const loadError = yield* Effect.flip(BankAccount.handler.load(broken))
        assert.strictEqual(loadError._tag, "EventDecodeError")

        const ok = yield* BankAccount.handler.load(healthy)
        assert.strictEqual(ok.version, 1)
        assert.strictEqual(ok.state._tag, "Active")
      })
    )

    it.effect("a row that no longer fits its schema fails decoding and loading with EventDecodeError", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const outdated = yield* openAccount("outdated")
        const healthy = yield* openAccount("healthy")
        yield* insertRow(outdated, 2, "MoneyDeposited", JSON.stringify({ amount: "ten", balance: 10 }))

        const events = yield* collect(store.readStream(outdated))
        assert.strictEqual(events.length, 2)
        const decoded = BankAccount.codec.decode(events[1]!)
        assert.isTrue(Either.isLeft(decoded))
        if (Either.isLeft(decoded)) {
          assert.strictEqual(decoded.left.streamId, outdated)
          assert.strictEqual(decoded.left.version, 2)
          assert.strictEqual(decoded.left.type, "MoneyDeposited")
        }
        const loadError = yield* Effect.flip(BankAccount.handler.load(outdated))
        assert.strictEqual(loadError._tag, "EventDecodeError")
        if (loadError._tag === "EventDecodeError") {
          assert.strictEqual(loadError.streamId, outdated)
          assert.strictEqual(loadError.version, 2)
        }
        const handled = yield* BankAccount.handler.handle(healthy, BankAccount.Deposit.make({ amount: 5 }))
        assert.strictEqual(handled.version, 2)
      })
    )

    it.effect("data or metadata that cannot be JSON (BigInt, cycles) fails with InvalidEvent and writes nothing", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const id = `not-json-${crypto.randomUUID()}`
        const cyclic: Record<string, unknown> = { name: "loop" }
        cyclic.self = cyclic
        const head = yield* store.headPosition
        const batches = [
          [
            { type: "Noted", data: { ok: 1 } },
            { type: "Noted", data: { amount: 10n } }
          ],
          [{ type: "Noted", data: cyclic }],
          [{ type: "Noted", data: { ok: 1 }, metadata: { big: 1n } }]
        ]
        for (const batch of batches) {
          const error = yield* Effect.flip(store.append(id, batch))
          assert.strictEqual(error._tag, "InvalidEvent")
        }
        assert.strictEqual(yield* store.streamVersion(id), 0)
        assert.deepStrictEqual(yield* store.headPosition, head)
      })
    )

    it.effect("a batch longer than one INSERT statement is stored whole, with the positions reads report", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const id = `long-batch-${crypto.randomUUID()}`
        const events = Array.from({ length: 250 }, (_, i) => ({ type: "Noted", data: { i } }))
        const result = yield* store.append(id, events)
        assert.strictEqual(result.version, 250)
        const stored = yield* collect(store.readStream(id))
        assert.deepStrictEqual(
          stored.map((event) => event.position),
          result.positions
        )
        assert.deepStrictEqual(
          stored.map((event) => (event.data as { i: number }).i),
          events.map((_, i) => i)
        )
        for (let i = 1; i < result.positions.length; i++) {
          assert.isTrue(Position.isAfter(result.positions[i]!, result.positions[i - 1]!))
        }
      })
    )

    it.effect("generated ids carry their version and stay out of the index of chosen ids; both are found again", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const sql = yield* SqlClient.SqlClient
        const streamId = `ids-${crypto.randomUUID()}`
        const chosen = crypto.randomUUID()
        yield* store.append(streamId, [
          { type: "Noted", data: { n: 1 } },
          { type: "Noted", data: { n: 2 } }
        ])
        yield* store.append(streamId, [{ id: chosen, type: "Noted", data: { n: 3 } }])
        const rows = yield* sql<{ version: number; event_id: string; id_generated: number }>`SELECT version, event_id,
          id_generated FROM chronicle_events WHERE stream_id = ${streamId} ORDER BY version`
        assert.deepStrictEqual(
          rows.map((row) => [row.version, row.id_generated]),
          [
            [1, 1],
            [2, 1],
            [3, 0]
          ]
        )
        assert.match(rows[0]!.event_id, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{2}0-000000000001$/)
        assert.match(rows[1]!.event_id, /-8[0-9a-f]{3}-[89ab][0-9a-f]{2}0-000000000002$/)
        assert.strictEqual(rows[2]!.event_id, chosen)
        // Read back and sent again, with their ids, every one of them is a repeat.
        const events = yield* collect(store.readStream(streamId))
        assert.deepStrictEqual(
          events.map((e) => e.id),
          rows.map((row) => row.event_id)
        )
        const again = (from: number, to: number) =>
          store.append(
            streamId,
            events.slice(from, to).map((e) => ({ id: e.id, type: e.type, data: e.data }))
          )
        assert.deepStrictEqual(yield* again(0, 2), {
          version: 2,
          positions: [events[0]!.position, events[1]!.position]
        })
        assert.deepStrictEqual(yield* again(2, 3), { version: 3, positions: [events[2]!.position] })
        // A chosen id in the generated layout that names a version whose event has another id is just a new id.
        const lookalike = `${rows[0]!.event_id.slice(0, 9)}ffff${rows[0]!.event_id.slice(13)}`
        const written = yield* store.append(streamId, [{ id: lookalike, type: "Noted", data: { n: 4 } }])
        assert.strictEqual(written.version, 4)
        const repeated = yield* store.append(streamId, [{ id: lookalike, type: "Noted", data: { n: 4 } }])
        assert.deepStrictEqual(repeated, written)
        const [stored] = yield* sql<{ id_generated: number }>`SELECT id_generated FROM chronicle_events
          WHERE stream_id = ${streamId} AND version = 4`
        assert.strictEqual(stored!.id_generated, 0)
      })
    )

    it.effect("stream ids shaped like SQL injection are stored and read back as plain data", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const suffix = crypto.randomUUID()
        const ids = [
          `x'; DROP TABLE chronicle_events;-- ${suffix}`,
          `x"; DROP TABLE chronicle_events;-- ${suffix}`,
          `Robert'); DELETE FROM chronicle_events WHERE ('1'='1 ${suffix}`,
          `%_\\' OR 1=1 -- ${suffix}`,
          `ünïcødé ✓ 名前 ${suffix}`
        ]
        for (const [i, id] of ids.entries()) {
          const result = yield* store.append(id, [{ type: "Noted", data: { id, i } }])
          assert.strictEqual(result.version, 1)
        }
        for (const [i, id] of ids.entries()) {
          const events = yield* collect(store.readStream(id))
          assert.strictEqual(events.length, 1)
          assert.strictEqual(events[0]!.streamId, id)
          assert.deepStrictEqual(events[0]!.data, { id, i })
          assert.strictEqual(yield* store.streamVersion(id), 1)
        }
        const sql = yield* SqlClient.SqlClient
        const tables = yield* sql<{ name: string }>`SELECT name FROM sqlite_master WHERE name = 'chronicle_events'`
        assert.strictEqual(tables.length, 1)
      })
    )
  })
})
