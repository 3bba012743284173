/**
 * The SQLite snapshot store: the latest snapshot of each stream, its state as JSON text.
 *
 * @since 0.1.0
 */
import { SnapshotStore, StorageError } from "@chronicle/core"
import type * as SqlClient from "@effect/sql/SqlClient"
import { Effect, Layer, Option } from "effect"
import { ensureTable } from "./internal/table.js"
import type { InvalidIdentifier } from "./SqliteEventStoreSchema.js"

/**
 * Options: the table name (default `chronicle_snapshots`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly table?: string
}

/**
 * The default table name.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultTable = "chronicle_snapshots"

interface Row {
  readonly version: number
  readonly schema_version: string
  readonly state: string
}

const failure = (method: string) => (cause: unknown) =>
  new StorageError.StorageError({ operation: `SnapshotStore.${method}`, cause })

/**
 * Builds the store over the `SqlClient` in context, creating its table if it is missing.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options = {}
): Effect.Effect<
  SnapshotStore.SnapshotStore["Type"],
  InvalidIdentifier | StorageError.StorageError,
  SqlClient.SqlClient
> =>
  Effect.gen(function* () {
    const { sql, table: name } = yield* ensureTable(
      "SnapshotStore",
      options.table ?? defaultTable,
      "stream_id TEXT PRIMARY KEY NOT NULL, version INTEGER NOT NULL, schema_version TEXT NOT NULL, state TEXT NOT NULL"
    )
    return {
      load: (streamId) =>
        sql.unsafe<Row>(`SELECT version, schema_version, state FROM ${name} WHERE stream_id = ?`, [streamId]).pipe(
          Effect.mapError(failure("load")),
          Effect.map((rows) =>
            Option.flatMap(Option.fromNullable(rows[0]), (row) => {
              // A snapshot is a cache: one whose JSON is broken is as good as none, and the stream is replayed.
              try {
                return Option.some({
                  streamId,
                  version: row.version,
                  schemaVersion: row.schema_version,
                  state: JSON.parse(row.state) as unknown
                })
              } catch {
                return Option.none()
              }
            })
          )
        ),
      save: (snapshot) =>
        Effect.try({
          try: () => {
            const json = JSON.stringify(snapshot.state)
            if (json === undefined) throw new Error("the state has no JSON form")
            return json
          },
          catch: failure("save")
        }).pipe(
          Effect.flatMap((json) =>
            sql
              .unsafe(
                `INSERT INTO ${name} (stream_id, version, schema_version, state) VALUES (?, ?, ?, ?) ` +
                  "ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, " +
                  "schema_version = excluded.schema_version, state = excluded.state " +
                  `WHERE excluded.version >= ${name}.version`,
                [snapshot.streamId, snapshot.version, snapshot.schemaVersion, json]
              )
              .pipe(Effect.mapError(failure("save")))
          ),
          Effect.asVoid
        ),
      delete: (streamId) =>
        sql
          .unsafe(`DELETE FROM ${name} WHERE stream_id = ?`, [streamId])
          .pipe(Effect.mapError(failure("delete")), Effect.asVoid)
    }
  })

/**
 * A Layer providing `SnapshotStore` over the `SqlClient` in context (for example from
 * `SqliteEventStore.layerWithClient`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<SnapshotStore.SnapshotStore, InvalidIdentifier | StorageError.StorageError, SqlClient.SqlClient> =>
  Layer.effect(SnapshotStore.SnapshotStore, make(options))
