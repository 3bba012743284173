/**
 * Running a table's versioned migrations through `@effect/sql`'s Migrator: each migration once, in order, recorded in
 * the table's own migrations table, all in one transaction that processes starting together cannot run at once.
 *
 * @since 0.1.0
 */
import type { StorageError } from "@chronicle/core"
import * as Migrator from "@effect/sql/Migrator"
import * as SqlClient from "@effect/sql/SqlClient"
import { Cause, Effect, Option, Record } from "effect"
import type { Migrations, Schema, SqlDialect } from "./SqlDialect.js"
import * as SqlFault from "./SqlFault.js"
import * as SqlIdentifier from "./SqlIdentifier.js"
import * as SqlTransaction from "./SqlTransaction.js"

/**
 * What to migrate: the migrations, the table that records them, and the operation a failure is reported as (such as
 * `EventStore.migrate`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly dialect: SqlDialect
  readonly migrations: Migrations
  readonly table: string
  readonly operation: string
}

const statements = (texts: ReadonlyArray<string>) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => Effect.forEach(texts, (text) => sql.unsafe(text), { discard: true }))

/**
 * Runs the migrations not yet recorded, with the `SqlClient` in context, and returns those it ran. Everything happens
 * in one transaction of the dialect's kind (SQLite: `BEGIN IMMEDIATE`, so a second process waits and then finds the
 * work done), after `dialect.beforeMigrations`; inside the application's transaction it joins that one instead. A
 * migration that fails rolls everything back and fails with `StorageError` (the Migrator itself reports it as a
 * defect, which never leaves here).
 *
 * @since 0.1.0
 * @category migrations
 */
export const run = (
  options: Options
): Effect.Effect<ReadonlyArray<readonly [id: number, name: string]>, StorageError.StorageError, SqlClient.SqlClient> =>
  Effect.flatMap(SqlClient.SqlClient, (client) => {
    const migrator = Migrator.make({})({
      loader: Migrator.fromRecord(Record.map(options.migrations, statements)),
      table: options.table
    })
    const migrate = Effect.zipRight(statements(options.dialect.beforeMigrations(options.table)), migrator)
    return SqlTransaction.run(client, options.dialect, () => migrate).pipe(
      Effect.catchAllCause((cause) => {
        const failure = Cause.failureOption(cause)
        const defect = Cause.dieOption(cause)
        const error = Option.isSome(failure)
          ? failure.value
          : Option.isSome(defect) && defect.value instanceof Migrator.MigrationError
            ? defect.value
            : undefined
        return error === undefined
          ? Effect.failCause(cause as Cause.Cause<never>)
          : Effect.fail(SqlFault.toStorageError(options.operation)(error))
      }),
      Effect.provideService(SqlClient.SqlClient, client)
    )
  })

/**
 * Prepares the table of a store (such as `CheckpointStore`) over the `SqlClient` in context: validates its name and
 * the name of the table recording its migrations (default: the table's name followed by `_migrations`), runs its
 * migrations, and returns the client with the statements that use the table.
 *
 * @since 0.1.0
 * @category migrations
 */
export const table = <S>(
  dialect: SqlDialect,
  store: string,
  schema: (table: string) => Schema<S>,
  names: { readonly table: string; readonly migrationsTable?: string | undefined }
): Effect.Effect<
  { readonly client: SqlClient.SqlClient; readonly statements: S },
  SqlIdentifier.InvalidIdentifier | StorageError.StorageError,
  SqlClient.SqlClient
> =>
  Effect.gen(function* () {
    const [table, migrationsTable] = yield* SqlIdentifier.validatePair(
      dialect.identifiers,
      { option: "table", name: names.table },
      { option: "migrationsTable", name: names.migrationsTable ?? `${names.table}_migrations` }
    )
    const { migrations, statements } = schema(table)
    yield* run({ dialect, migrations, table: migrationsTable, operation: `${store}.migrate` })
    return { client: yield* SqlClient.SqlClient, statements }
  })
