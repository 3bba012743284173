/**
 * The checkpoint store over any `@effect/sql` client: one row per projection, its position kept as text
 * (`Position.format`: `"42"`, `"7781:42"`), so it holds any store's positions. `commit` runs the check, the
 * read-model update and the new position in one transaction (`SqlTransaction`), holding the checkpoint from the check
 * to the end (`CheckpointStatements.hold`), so of two runners committing from the same position only one updates its
 * read model; statements the update runs through the same client join that transaction.
 *
 * @since 0.1.0
 */
import { CheckpointStore, Position, type StorageError } from "@chronicle/core"
import type * as SqlClient from "@effect/sql/SqlClient"
import { Effect, Equal } from "effect"
import type { Query, SqlDialect } from "./SqlDialect.js"
import * as SqlFault from "./SqlFault.js"
import type * as SqlIdentifier from "./SqlIdentifier.js"
import * as SqlMigrations from "./SqlMigrations.js"
import * as SqlTransaction from "./SqlTransaction.js"

/**
 * Options: the table name (default `chronicle_checkpoints`) and the table recording its migrations (default: the
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
export const defaultTable = "chronicle_checkpoints"

/** Carries the update's own error (or a conflict) through the transaction, apart from the transaction's faults. */
class UpdateFailed {
  constructor(readonly error: unknown) {}
}

/** The stored checkpoint, read back as a position: text, or an integer as the first release stored it. */
const positionOf = (rows: ReadonlyArray<ReadonlyArray<unknown>>): Effect.Effect<Position.Position, Error> => {
  if (rows.length === 0) return Effect.succeed(Position.start)
  const stored = rows[0]![0]
  const position = Position.parse(String(stored))
  return position === undefined
    ? Effect.fail(new Error(`the stored checkpoint ${JSON.stringify(stored)} is not a position`))
    : Effect.succeed(position)
}

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
  CheckpointStore.CheckpointStore["Type"],
  SqlIdentifier.InvalidIdentifier | StorageError.StorageError,
  SqlClient.SqlClient
> =>
  Effect.gen(function* () {
    const { client, statements } = yield* SqlMigrations.table(dialect, "CheckpointStore", dialect.checkpoints, {
      table: options.table ?? defaultTable,
      migrationsTable: options.migrationsTable
    })
    const load = (projection: string) =>
      client
        .unsafe(...statements.load(projection))
        .values.pipe(Effect.flatMap(positionOf), Effect.mapError(SqlFault.toStorageError("CheckpointStore.load")))

    const commit = <A, E, R>(
      projection: string,
      move: { readonly from: Position.Position; readonly to: Position.Position },
      update: Effect.Effect<A, E, R>
    ) =>
      SqlTransaction.run(client, dialect, (conn) => {
        const run = ([text, params]: Query) => conn.executeValues(text, params)
        return Effect.forEach(statements.hold(projection), run).pipe(
          Effect.flatMap((results) => positionOf(results.at(-1) ?? [])),
          Effect.flatMap((actual) =>
            Equal.equals(actual, move.from)
              ? Effect.void
              : Effect.fail(
                  new UpdateFailed(
                    new CheckpointStore.CheckpointConflict({ name: projection, expected: move.from, actual })
                  )
                )
          ),
          Effect.zipRight(Effect.mapError(update, (error) => new UpdateFailed(error))),
          Effect.zipLeft(run(statements.save(projection, Position.format(move.to))))
        )
      }).pipe(
        Effect.mapError((error): E | CheckpointStore.CheckpointConflict | StorageError.StorageError =>
          error instanceof UpdateFailed
            ? (error.error as E | CheckpointStore.CheckpointConflict)
            : SqlFault.toStorageError("CheckpointStore.commit")(error)
        )
      )

    const list = client.unsafe(...statements.list).values.pipe(
      Effect.flatMap((rows) =>
        Effect.forEach(rows, (row) =>
          Effect.map(
            positionOf([[row[1]]]),
            (position): CheckpointStore.Checkpoint => ({
              name: String(row[0]),
              position
            })
          )
        )
      ),
      Effect.mapError(SqlFault.toStorageError("CheckpointStore.list"))
    )

    return { load, list, commit }
  })
