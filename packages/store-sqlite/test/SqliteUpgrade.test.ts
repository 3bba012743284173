import * as fs from "node:fs"
import * as path from "node:path"
import { CheckpointStore, EventStore, ExpectedVersion, Position, Query, SnapshotStore } from "@chronicle/core"
import { assert, describe, it } from "@effect/vitest"
import * as SqlClient from "@effect/sql/SqlClient"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Chunk, Context, Effect, Layer, Option, Schema, Stream } from "effect"
import { SqliteCheckpointStore, SqliteEventStore, SqliteSnapshotStore } from "../src/index.js"
import { tempDir } from "./fixtures/tempDir.js"

/** A copy of the database the release at 528223d wrote (see fixtures/release-528223d.md). */
const copyOfRelease = Effect.map(tempDir("upgrade"), (dir) => {
  const filename = path.join(dir, "release.sqlite")
  fs.copyFileSync(path.join(import.meta.dirname, "fixtures", "release-528223d.sqlite"), filename)
  return filename
})

const withSideStores = <E>(events: Layer.Layer<EventStore.EventStore | SqlClient.SqlClient, E>) =>
  Layer.provideMerge(Layer.mergeAll(SqliteCheckpointStore.layer(), SqliteSnapshotStore.layer()), events)

/** The store as the current code opens the file: its own connection, or the shared engine over a client. */
const open = (filename: string, over: "owned" | "client") =>
  Layer.build(
    withSideStores(
      over === "owned"
        ? SqliteEventStore.layerWithClient({ filename })
        : Layer.provideMerge(SqliteEventStore.layerFromClient(), SqliteClient.layer({ filename }))
    )
  )

const at = Schema.decodeSync(Position.FromString)
const recordedAt = (seconds: number) => new Date(Date.UTC(2026, 10, 26, 12, 0, seconds))
const id = (n: number) => `5b0e4a8c-3f0f-4c41-9a43-4f6f1b7a000${n}`

const migrationsIn = (sql: SqlClient.SqlClient, table: string) =>
  Effect.map(
    sql<{ migration_id: number; name: string }>`SELECT migration_id, name FROM ${sql(table)} ORDER BY migration_id`,
    (rows) => rows.map((row) => `${row.migration_id}_${row.name}`)
  )

const checkUpgraded = (filename: string, over: "owned" | "client") =>
  Effect.gen(function* () {
    const context = yield* open(filename, over)
    const store = Context.get(context, EventStore.EventStore)
    const sql = Context.get(context, SqlClient.SqlClient)
    const checkpoints = Context.get(context, CheckpointStore.CheckpointStore)
    const snapshots = Context.get(context, SnapshotStore.SnapshotStore)

    const all = Chunk.toReadonlyArray(yield* Stream.runCollect(store.readAll()))
    assert.deepStrictEqual(
      all.map((e) => [Position.format(e.position), e.streamId, e.version, e.type, e.data, e.metadata, e.recordedAt]),
      [
        [
          "1",
          "account-1",
          1,
          "AccountOpened",
          { owner: "Ada", note: "ünïcødé ✓" },
          { correlationId: "c-1", causationId: "k-1", user: "ada" },
          recordedAt(0)
        ],
        ["2", "account-1", 2, "MoneyDeposited", { amount: 100 }, { correlationId: "c-1" }, recordedAt(0)],
        ["3", "account-2", 1, "AccountOpened", { owner: "Grace" }, {}, recordedAt(1)],
        ["4", "account-1", 3, "MoneyWithdrawn", { amount: 30 }, {}, recordedAt(2)],
        ["5", "account-2", 2, "MoneyDeposited", { amount: 5 }, { source: "atm" }, recordedAt(2)]
      ]
    )
    assert.deepStrictEqual(
      all.filter((e) => e.streamId === "account-1").map((e) => e.id),
      [id(1), id(2), id(3)]
    )
    for (const e of all.filter((e) => e.streamId === "account-2")) assert.match(e.id, /^[0-9a-f-]{36}$/)

    // Checkpoints: the integers of the first release, now positions kept as text.
    assert.deepStrictEqual(yield* checkpoints.load("balances"), at("5"))
    assert.deepStrictEqual(yield* checkpoints.load("audit"), at("3"))
    const types = yield* sql<{ name: string; kind: string }>`SELECT name, typeof(position) AS kind
      FROM chronicle_checkpoints ORDER BY name`
    assert.deepStrictEqual(
      types.map((row) => [row.name, row.kind]),
      [
        ["audit", "text"],
        ["balances", "text"]
      ]
    )
    const snapshot = yield* snapshots.load("account-1")
    assert.deepStrictEqual(
      snapshot,
      Option.some({ streamId: "account-1", version: 3, schemaVersion: "v1", state: { balance: 70 } })
    )

    // Every table's migrations are recorded.
    assert.deepStrictEqual(yield* migrationsIn(sql, "chronicle_migrations"), [
      "1_create_events",
      "2_index_chosen_ids_only",
      "3_tags",
      "4_types_indexed_in_runs"
    ])
    assert.deepStrictEqual(yield* migrationsIn(sql, "chronicle_checkpoints_migrations"), [
      "1_create_checkpoints",
      "2_positions_as_text"
    ])
    assert.deepStrictEqual(yield* migrationsIn(sql, "chronicle_snapshots_migrations"), ["1_create_snapshots"])

    // Appending goes on: versions and positions continue, the stored ids still make a repeat a repeat.
    const next = yield* store.append("account-1", [{ type: "MoneyDeposited", data: { amount: 1 } }], {
      expectedVersion: ExpectedVersion.exact(3)
    })
    assert.strictEqual(next.version, 4)
    assert.deepStrictEqual(next.positions, [at("6")])
    const repeat = yield* store.append("account-1", [{ id: id(3), type: "MoneyWithdrawn", data: { amount: 30 } }])
    assert.deepStrictEqual(repeat, { version: 3, positions: [at("4")] })
    // So do the ids the first release generated (kept in the index of chosen ids), and the ones generated now.
    const [generated] = all.filter((e) => e.streamId === "account-2")
    const again = yield* store.append("account-2", [
      { id: generated!.id, type: "AccountOpened", data: { owner: "Grace" } }
    ])
    assert.deepStrictEqual(again, { version: 1, positions: [at("3")] })
    const latest = (yield* Stream.runCollect(store.readStream("account-1", { from: 4 }))).pipe(Chunk.toReadonlyArray)
    const resent = yield* store.append("account-1", [
      { id: latest[0]!.id, type: "MoneyDeposited", data: { amount: 1 } }
    ])
    assert.deepStrictEqual(resent, next)
    const conflict = yield* Effect.flip(
      store.append("account-2", [{ type: "Noted", data: {} }], { expectedVersion: ExpectedVersion.noStream })
    )
    assert.strictEqual(conflict._tag, "WrongExpectedVersion")
    // Old events have no tags; new ones are tagged and found by query, after the old ones.
    assert.isTrue(all.every((e) => e.tags.length === 0))
    yield* store.append("account-2", [{ type: "MoneyDeposited", data: { amount: 2 }, tags: ["account:2"] }])
    const tagged = yield* store.read(Query.item({ tags: ["account:2"] }))
    const found = Chunk.toReadonlyArray(yield* Stream.runCollect(tagged.events))
    assert.deepStrictEqual(
      found.map((e) => [e.version, e.tags]),
      [[3, ["account:2"]]]
    )
    // Old events are indexed by type too (migration 4 fills the type index with every event).
    const byType = yield* store.read(Query.item({ types: ["MoneyWithdrawn"] }))
    assert.deepStrictEqual(
      Chunk.toReadonlyArray(yield* Stream.runCollect(byType.events)).map((e) => e.id),
      all.filter((e) => e.type === "MoneyWithdrawn").map((e) => e.id)
    )
    const [indexed] = yield* sql<{ n: number }>`SELECT COUNT(*) AS n FROM chronicle_events_types`
    assert.strictEqual(indexed!.n, all.length)
    yield* checkpoints.commit("balances", { from: at("5"), to: at("7781:42") }, Effect.void)
    assert.deepStrictEqual(yield* checkpoints.load("balances"), at("7781:42"))
  })

describe("SqliteEventStore upgrading a database of the first release", () => {
  for (const over of ["owned", "client"] as const) {
    it.scoped(`migrates every table and loses nothing (${over === "owned" ? "layer" : "layerFromClient"})`, () =>
      Effect.gen(function* () {
        const filename = yield* copyOfRelease
        yield* Effect.scoped(checkUpgraded(filename, over))
        // Opened again: nothing is migrated twice, and what the upgraded store wrote is there.
        const context = yield* open(filename, over)
        const sql = Context.get(context, SqlClient.SqlClient)
        assert.deepStrictEqual(yield* migrationsIn(sql, "chronicle_checkpoints_migrations"), [
          "1_create_checkpoints",
          "2_positions_as_text"
        ])
        const store = Context.get(context, EventStore.EventStore)
        assert.strictEqual(yield* store.streamVersion("account-1"), 4)
        assert.deepStrictEqual(yield* store.headPosition, at("7"))
        const checkpoint = yield* Context.get(context, CheckpointStore.CheckpointStore).load("balances")
        assert.deepStrictEqual(checkpoint, at("7781:42"))
      })
    )
  }
})
