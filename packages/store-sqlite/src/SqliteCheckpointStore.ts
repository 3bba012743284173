/**
 * The SQLite checkpoint store: one row per projection. `commit` runs the read-model update and the checkpoint upsert
 * in one transaction on the `SqlClient` in context, so a read model kept in the same database changes together with
 * its checkpoint.
 *
 * @since 0.1.0
 */
import { CheckpointStore, Position, StorageError } from "@chronicle/core"
import type * as SqlClient from "@effect/sql/SqlClient"
import { Effect, Equal, Layer } from "effect"
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
  new StorageError.StorageError({ operation: `CheckpointStore.${method}`, cause })

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
  InvalidIdentifier | StorageError.StorageError,
  SqlClient.SqlClient
> =>
  Effect.gen(function* () {
    const { sql, table: name } = yield* ensureTable(
      "CheckpointStore",
      options.table ?? defaultTable,
      "name TEXT PRIMARY KEY NOT NULL, position TEXT NOT NULL"
    )
    /** The stored checkpoint: text (or, as older releases wrote it, an integer) read back as a position. */
    const read = (projection: string) =>
      sql
        .unsafe<{ readonly position: number | string }>(`SELECT position FROM ${name} WHERE name = ?`, [projection])
        .pipe(
          Effect.flatMap((rows) => {
            if (rows[0] === undefined) return Effect.succeed(Position.start)
            const position = Position.parse(String(rows[0].position))
            return position === undefined
              ? Effect.fail(new Error(`the stored checkpoint ${JSON.stringify(rows[0].position)} is not a position`))
              : Effect.succeed(position)
          })
        )
    return {
      load: (projection) => read(projection).pipe(Effect.mapError(failure("load"))),
      commit: <A, E, R>(
        projection: string,
        move: { readonly from: Position.Position; readonly to: Position.Position },
        update: Effect.Effect<A, E, R>
      ) =>
        sql
          .withTransaction(
            read(projection).pipe(
              Effect.flatMap((actual) => {
                return Equal.equals(actual, move.from)
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
                  [projection, Position.format(move.to)]
                )
              )
            )
          )
          .pipe(
            Effect.mapError((error): E | CheckpointStore.CheckpointConflict | StorageError.StorageError =>
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
): Layer.Layer<CheckpointStore.CheckpointStore, InvalidIdentifier | StorageError.StorageError, SqlClient.SqlClient> =>
  Layer.effect(CheckpointStore.CheckpointStore, make(options))
