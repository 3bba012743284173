/**
 * The snapshot store over any `@effect/sql` client: the latest snapshot of each stream, its state as JSON text. A
 * snapshot is a cache: one whose JSON is broken reads as none (the stream is replayed), and a save never replaces a
 * snapshot of a higher version.
 *
 * @since 0.1.0
 */
import type { SnapshotStore, StorageError } from "@chronicle/core"
import type * as SqlClient from "@effect/sql/SqlClient"
import { Effect, Option } from "effect"
import type { SqlDialect } from "./SqlDialect.js"
import * as SqlFault from "./SqlFault.js"
import type * as SqlIdentifier from "./SqlIdentifier.js"
import * as SqlMigrations from "./SqlMigrations.js"

/**
 * Options: the table name (default `chronicle_snapshots`) and the table recording its migrations (default: the
 * table's name followed by `_migrations`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly table?: string | undefined
  readonly migrationsTable?: string | undefined
}

/**
 * The default table name.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultTable = "chronicle_snapshots"

const stateJson = (state: unknown): Effect.Effect<string, StorageError.StorageError> =>
  Effect.suspend(() => {
    try {
      const json = JSON.stringify(state)
      if (json !== undefined) return Effect.succeed(json)
    } catch (cause) {
      return Effect.fail(SqlFault.toStorageError("SnapshotStore.save")(cause))
    }
    return Effect.fail(SqlFault.toStorageError("SnapshotStore.save")(new Error("the state has no JSON form")))
  })

/**
 * Builds the store over the `SqlClient` in context: validates the table names and runs the table's migrations.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  dialect: SqlDialect,
  options: Options = {}
): Effect.Effect<
  SnapshotStore.SnapshotStore["Type"],
  SqlIdentifier.InvalidIdentifier | StorageError.StorageError,
  SqlClient.SqlClient
> =>
  Effect.gen(function* () {
    const { client, statements } = yield* SqlMigrations.table(dialect, "SnapshotStore", dialect.snapshots, {
      table: options.table ?? defaultTable,
      migrationsTable: options.migrationsTable
    })

    const load = (streamId: string) =>
      client.unsafe(...statements.load(streamId)).values.pipe(
        Effect.mapError(SqlFault.toStorageError("SnapshotStore.load")),
        Effect.map((rows) =>
          Option.flatMap(Option.fromNullable(rows[0]), (row) => {
            try {
              return Option.some({
                streamId,
                version: Number(row[0]),
                schemaVersion: row[1] as string,
                state: JSON.parse(row[2] as string) as unknown
              })
            } catch {
              return Option.none()
            }
          })
        )
      )

    const save = (snapshot: SnapshotStore.Snapshot) =>
      Effect.flatMap(stateJson(snapshot.state), (json) =>
        client
          .unsafe(
            ...statements.save({
              streamId: snapshot.streamId,
              version: snapshot.version,
              schemaVersion: snapshot.schemaVersion,
              stateJson: json
            })
          )
          .pipe(Effect.mapError(SqlFault.toStorageError("SnapshotStore.save")), Effect.asVoid)
      )

    const remove = (streamId: string) =>
      client
        .unsafe(...statements.delete(streamId))
        .pipe(Effect.mapError(SqlFault.toStorageError("SnapshotStore.delete")), Effect.asVoid)

    return { load, save, delete: remove }
  })
