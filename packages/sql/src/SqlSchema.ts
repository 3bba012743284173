/**
 * Every table of a SQL store — events, checkpoints, snapshots — with its migrations: which are applied and which are
 * pending (`status`, which writes nothing), and applying the pending ones (`migrate`). For operators (`chronicle
 * migrate [--dry-run]`) and for telling a Chronicle database from another one; a store's layers migrate their own
 * tables as they open, so applications need neither.
 *
 * @since 0.1.0
 */
import type { StorageError } from "@chronicle/core"
import * as SqlClient from "@effect/sql/SqlClient"
import { Effect, Either } from "effect"
import * as SqlCheckpointStore from "./SqlCheckpointStore.js"
import type { Migrations, SqlDialect } from "./SqlDialect.js"
import * as SqlEngine from "./SqlEngine.js"
import * as SqlFault from "./SqlFault.js"
import * as SqlIdentifier from "./SqlIdentifier.js"
import * as SqlMigrations from "./SqlMigrations.js"
import * as SqlSnapshotStore from "./SqlSnapshotStore.js"

/**
 * The table names of a store, each optional with the defaults of its store: the events table and its migrations table
 * (`SqlEngine.TableOptions`), and the checkpoint and snapshot tables with theirs.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends SqlEngine.TableOptions {
  readonly checkpoints?: SqlCheckpointStore.Options | undefined
  readonly snapshots?: SqlSnapshotStore.Options | undefined
}

/**
 * A configured table name is not a plain SQL identifier.
 *
 * @since 0.1.0
 * @category errors
 */
export type InvalidIdentifier = SqlIdentifier.InvalidIdentifier

/**
 * One table and its migrations: `kind` names what it holds.
 *
 * @since 0.1.0
 * @category models
 */
export interface Table {
  readonly kind: "events" | "checkpoints" | "snapshots"
  readonly table: string
  readonly migrationsTable: string
  readonly migrations: Migrations
}

/**
 * A migration: its id and name (from its key, `"<id>_<name>"`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Migration {
  readonly id: number
  readonly name: string
}

/**
 * Where a table stands: whether it exists, the migrations recorded for it, and those still to run.
 *
 * @since 0.1.0
 * @category models
 */
export interface TableStatus extends Table {
  readonly exists: boolean
  readonly applied: ReadonlyArray<Migration>
  readonly pending: ReadonlyArray<Migration>
}

/**
 * The store's tables under a dialect's rules, with the defaults filled in.
 *
 * @since 0.1.0
 * @category constructors
 */
export const tables = (
  dialect: SqlDialect,
  options: Options = {}
): Either.Either<ReadonlyArray<Table>, SqlIdentifier.InvalidIdentifier> =>
  Either.gen(function* () {
    const events = yield* SqlEngine.tables(dialect, options)
    const side = (option: SqlCheckpointStore.Options | undefined, fallback: string) =>
      SqlIdentifier.validatePair(
        dialect.identifiers,
        { option: "table", name: option?.table ?? fallback },
        { option: "migrationsTable", name: option?.migrationsTable ?? `${option?.table ?? fallback}_migrations` }
      )
    const [checkpoints, checkpointMigrations] = yield* side(options.checkpoints, SqlCheckpointStore.defaultTable)
    const [snapshots, snapshotMigrations] = yield* side(options.snapshots, SqlSnapshotStore.defaultTable)
    return [
      {
        kind: "events",
        table: events.events,
        migrationsTable: events.migrations,
        migrations: dialect.events(events).migrations
      },
      {
        kind: "checkpoints",
        table: checkpoints,
        migrationsTable: checkpointMigrations,
        migrations: dialect.checkpoints(checkpoints).migrations
      },
      {
        kind: "snapshots",
        table: snapshots,
        migrationsTable: snapshotMigrations,
        migrations: dialect.snapshots(snapshots).migrations
      }
    ] as const
  })

const migrationsOf = (migrations: Migrations): ReadonlyArray<Migration> =>
  Object.keys(migrations)
    .map((key) => {
      const separator = key.indexOf("_")
      return { id: Number(key.slice(0, separator)), name: key.slice(separator + 1) }
    })
    .sort((a, b) => a.id - b.id)

/**
 * Where each table stands, with the `SqlClient` in context. Reads only: nothing is created.
 *
 * @since 0.1.0
 * @category migrations
 */
export const status = (
  dialect: SqlDialect,
  tables: ReadonlyArray<Table>
): Effect.Effect<ReadonlyArray<TableStatus>, StorageError.StorageError, SqlClient.SqlClient> =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => {
    const exists = (table: string) =>
      Effect.map(sql.unsafe(...dialect.tableExists(table)).values, (rows) => rows.length > 0)
    return Effect.forEach(tables, (table) =>
      Effect.gen(function* () {
        const recorded = (yield* exists(table.migrationsTable))
          ? yield* sql`SELECT migration_id FROM ${sql(table.migrationsTable)}`.values
          : []
        const ids = new Set(recorded.map((row) => Number(row[0])))
        const all = migrationsOf(table.migrations)
        return {
          ...table,
          exists: yield* exists(table.table),
          applied: all.filter((m) => ids.has(m.id)),
          pending: all.filter((m) => !ids.has(m.id))
        }
      })
    ).pipe(Effect.catchTag("SqlError", SqlFault.fail("SqlSchema.status")))
  })

/**
 * Applies every table's pending migrations, with the `SqlClient` in context, each table's in one transaction
 * (`SqlMigrations.run`); returns what it applied, per table.
 *
 * @since 0.1.0
 * @category migrations
 */
export const migrate = (
  dialect: SqlDialect,
  tables: ReadonlyArray<Table>
): Effect.Effect<ReadonlyArray<Applied>, StorageError.StorageError, SqlClient.SqlClient> =>
  Effect.forEach(tables, (table) =>
    Effect.map(
      SqlMigrations.run({
        dialect,
        migrations: table.migrations,
        table: table.migrationsTable,
        operation: `${table.kind}.migrate`
      }),
      (ran) => ({ table, applied: ran.map(([id, name]) => ({ id, name })) })
    )
  )

/**
 * What a table's migrations did: the migrations applied now.
 *
 * @since 0.1.0
 * @category models
 */
export interface Applied {
  readonly table: Table
  readonly applied: ReadonlyArray<Migration>
}

/**
 * `status` and `migrate` bound to one dialect, taking the store's table options: what each SQL store exports for its
 * operators (`SqliteSchema`, `PostgresSchema`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Operations {
  readonly status: (
    options?: Options
  ) => Effect.Effect<
    ReadonlyArray<TableStatus>,
    StorageError.StorageError | SqlIdentifier.InvalidIdentifier,
    SqlClient.SqlClient
  >
  readonly migrate: (
    options?: Options
  ) => Effect.Effect<
    ReadonlyArray<Applied>,
    StorageError.StorageError | SqlIdentifier.InvalidIdentifier,
    SqlClient.SqlClient
  >
}

/**
 * `status` and `migrate` of a dialect's store: its tables from the options (invalid names are `InvalidIdentifier`),
 * then `status` or `migrate` of them.
 *
 * @since 0.1.0
 * @category constructors
 */
export const operations = (dialect: SqlDialect): Operations => ({
  status: (options = {}) => Effect.flatMap(tables(dialect, options), (all) => status(dialect, all)),
  migrate: (options = {}) => Effect.flatMap(tables(dialect, options), (all) => migrate(dialect, all))
})
