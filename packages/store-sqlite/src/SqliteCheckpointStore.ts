/**
 * The SQLite checkpoint store: one row per projection. `commit` runs the read-model update and the checkpoint upsert
 * in one transaction on the `SqlClient` in context, so a read model kept in the same database changes together with
 * its checkpoint.
 *
 * @since 0.1.0
 */
import { CheckpointStore, EventStoreError } from "@chronicle/core"
import type * as SqlClient from "@effect/sql/SqlClient"
import { Effect, Layer } from "effect"
import { ensureTable } from "./internal/table.js"
import type { InvalidIdentifier } from "./SqliteEventStoreSchema.js"

/**
 * Options: the table name (default `chronicle_checkpoints`).
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
export const defaultTable = "chronicle_checkpoints"

/** Carries the update's own error through the transaction, apart from the transaction's faults. */
class UpdateFailed {
  constructor(readonly error: unknown) {}
}

const failure = (method: string) => (cause: unknown) =>
  new EventStoreError.EventStoreError({ method: `CheckpointStore.${method}`, cause })

/**
 * Builds the store over the `SqlClient` in context, creating its table if it is missing.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options = {}
): Effect.Effect<
  CheckpointStore.CheckpointStore["Type"],
  InvalidIdentifier | EventStoreError.EventStoreError,
  SqlClient.SqlClient
> =>
  Effect.gen(function* () {
    const { sql, table: name } = yield* ensureTable(
      "CheckpointStore",
      options.table ?? defaultTable,
      "name TEXT PRIMARY KEY NOT NULL, position INTEGER NOT NULL"
    )
    return {
      load: (projection) =>
        sql.unsafe<{ readonly position: number }>(`SELECT position FROM ${name} WHERE name = ?`, [projection]).pipe(
          Effect.map((rows) => rows[0]?.position ?? 0),
          Effect.mapError(failure("load"))
        ),
      commit: <A, E, R>(
        projection: string,
        move: { readonly from: number; readonly to: number },
        update: Effect.Effect<A, E, R>
      ) =>
        sql
          .withTransaction(
            sql.unsafe<{ readonly position: number }>(`SELECT position FROM ${name} WHERE name = ?`, [projection]).pipe(
              Effect.flatMap((rows) => {
                const actual = rows[0]?.position ?? 0
                return actual === move.from
                  ? Effect.void
                  : Effect.fail(
                      new UpdateFailed(
                        new CheckpointStore.CheckpointConflict({ name: projection, expected: move.from, actual })
                      )
                    )
              }),
              Effect.zipRight(Effect.mapError(update, (error) => new UpdateFailed(error))),
              Effect.zipLeft(
                sql.unsafe(
                  `INSERT INTO ${name} (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
                  [projection, move.to]
                )
              )
            )
          )
          .pipe(
            Effect.mapError((error): E | CheckpointStore.CheckpointConflict | EventStoreError.EventStoreError =>
              error instanceof UpdateFailed
                ? (error.error as E | CheckpointStore.CheckpointConflict)
                : failure("commit")(error)
            )
          )
    }
  })

/**
 * A Layer providing `CheckpointStore` over the `SqlClient` in context (for example from
 * `SqliteEventStore.layerWithClient`, which shares one connection with the event store).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<
  CheckpointStore.CheckpointStore,
  InvalidIdentifier | EventStoreError.EventStoreError,
  SqlClient.SqlClient
> => Layer.effect(CheckpointStore.CheckpointStore, make(options))
