/**
 * The SQLite schema of the event store: validated table names, the migrations that create the tables, and the SQL
 * text of every statement the engine runs (built once per store, so each is prepared once and reused).
 *
 * @since 0.1.0
 */
import * as Migrator from "@effect/sql/Migrator"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, Either, Exit, Option, Schema } from "effect"
import { immediate, retryBusy } from "./internal/access.js"

/**
 * A configured table name is not a plain SQL identifier. Names are spliced into SQL text, so only
 * `[A-Za-z_][A-Za-z0-9_]*` (at most 64 characters, not starting with `sqlite_`) is accepted.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidIdentifier extends Schema.TaggedError<InvalidIdentifier>(
  "@chronicle/store-sqlite/InvalidIdentifier"
)("InvalidIdentifier", { option: Schema.String, name: Schema.String, reason: Schema.String }) {
  override get message(): string {
    return `Invalid SQLite identifier ${JSON.stringify(this.name)} for option ${this.option}: ${this.reason}`
  }
}

/**
 * The table names a store uses.
 *
 * @since 0.1.0
 * @category models
 */
export interface TableNames {
  readonly events: string
  readonly migrations: string
}

/**
 * The default table names: `chronicle_events` and `chronicle_migrations` (not `effect_sql_migrations`, so the store's
 * migrations never collide with an application's own in a shared database).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultTableNames: TableNames = { events: "chronicle_events", migrations: "chronicle_migrations" }

const identifierPattern = /^[A-Za-z_][A-Za-z0-9_]*$/

/**
 * Validates one identifier.
 *
 * @since 0.1.0
 * @category constructors
 */
export const validateIdentifier = (option: string, name: string): Either.Either<string, InvalidIdentifier> => {
  const invalid = (reason: string) => Either.left(new InvalidIdentifier({ option, name: String(name), reason }))
  if (typeof name !== "string" || !identifierPattern.test(name)) {
    return invalid("only letters, digits and underscores are allowed, not starting with a digit")
  }
  if (name.length > 64) return invalid("at most 64 characters are allowed")
  if (name.toLowerCase().startsWith("sqlite_")) return invalid("names starting with sqlite_ are reserved by SQLite")
  return Either.right(name)
}

/**
 * Validates the configured table names, filling in defaults; the two names must differ.
 *
 * @since 0.1.0
 * @category constructors
 */
export const tableNames = (options: {
  readonly tables?: { readonly events?: string } | undefined
  readonly migrationsTable?: string | undefined
}): Either.Either<TableNames, InvalidIdentifier> =>
  Either.gen(function* () {
    const events = yield* validateIdentifier("tables.events", options.tables?.events ?? defaultTableNames.events)
    const migrations = yield* validateIdentifier(
      "migrationsTable",
      options.migrationsTable ?? defaultTableNames.migrations
    )
    if (events.toLowerCase() === migrations.toLowerCase()) {
      return yield* Either.left(
        new InvalidIdentifier({
          option: "migrationsTable",
          name: migrations,
          reason: "the migrations table must differ from the events table"
        })
      )
    }
    return { events, migrations }
  })

const quote = (name: string) => `"${name}"`

/**
 * The migrations of the store, in order, for `Migrator.fromRecord`.
 *
 * @since 0.1.0
 * @category migrations
 */
export const migrations = (tables: TableNames): Record<string, Effect.Effect<void, unknown, SqlClient.SqlClient>> => ({
  "1_create_events": Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql.unsafe(`CREATE TABLE IF NOT EXISTS ${quote(tables.events)} (
  position INTEGER PRIMARY KEY,
  stream_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  event_id TEXT NOT NULL,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  metadata TEXT NOT NULL,
  recorded_at INTEGER NOT NULL,
  UNIQUE (stream_id, version),
  UNIQUE (stream_id, event_id)
)`)
  )
})

/**
 * Runs the store's migrations with the `SqlClient` in context, in one `BEGIN IMMEDIATE` transaction on a reserved
 * connection, so that processes opening a new database together do not race (the Migrator's own transaction is a
 * deferred one). Busy errors are retried. Inside a transaction the caller opened, the Migrator joins it instead.
 *
 * @since 0.1.0
 * @category migrations
 */
export const migrate = (
  tables: TableNames
): Effect.Effect<
  ReadonlyArray<readonly [id: number, name: string]>,
  Migrator.MigrationError | SqlError,
  SqlClient.SqlClient
> =>
  Effect.gen(function* () {
    const client = yield* SqlClient.SqlClient
    const migrator = Migrator.make({})({
      loader: Migrator.fromRecord(migrations(tables)),
      table: tables.migrations
    }).pipe(Effect.provideService(SqlClient.SqlClient, client))
    const outer = yield* Effect.serviceOption(SqlClient.TransactionConnection)
    if (Option.isSome(outer)) return yield* migrator
    const exclusive = Effect.uninterruptibleMask((restore) =>
      Effect.scoped(
        Effect.gen(function* () {
          const conn = yield* restore(client.reserve)
          yield* conn.executeUnprepared(immediate.begin, [], undefined)
          const exit = yield* Effect.exit(
            restore(Effect.provideService(migrator, SqlClient.TransactionConnection, [conn, 0] as const))
          )
          const end = Exit.isSuccess(exit) ? immediate.commit : immediate.rollback
          yield* Effect.forEach(end, (statement) => conn.executeUnprepared(statement, [], undefined)).pipe(
            Effect.onError(() => Effect.ignore(conn.executeUnprepared("ROLLBACK", [], undefined)))
          )
          return yield* exit
        })
      )
    )
    return yield* retryBusy(exclusive)
  })

/**
 * The most rows one multi-row `INSERT` writes (over a client, where each statement is a round through its Effects);
 * longer batches take several statements in the same transaction. On a database the store owns, rows are inserted
 * one at a time by one prepared statement, which is cheaper still.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxRowsPerInsert = 100

/**
 * The columns reads select, in this order (rows are read as arrays): `readAll` adds `stream_id` at the end, stream
 * reads know it already.
 *
 * @since 0.1.0
 * @category constants
 */
export const readColumns = ["position", "version", "event_id", "type", "data", "metadata", "recorded_at"] as const

const columns = readColumns.join(", ")

/**
 * The SQL text of the engine's statements for one events table.
 *
 * @since 0.1.0
 * @category models
 */
export interface Statements {
  readonly streamVersion: string
  readonly headPosition: string
  readonly storedIds: string
  /** Inserts one event. */
  readonly insert: string
  /** Inserts `rows` events, returning the version and position of each. */
  readonly insertRows: (rows: number) => string
  readonly readForward: string
  readonly readBackward: string
  readonly readAll: string
}

/**
 * Builds the statements for a table.
 *
 * @since 0.1.0
 * @category constructors
 */
export const statements = (tables: TableNames): Statements => {
  const events = quote(tables.events)
  const into = `INSERT INTO ${events} (stream_id, version, event_id, type, data, metadata, recorded_at) VALUES `
  const inserts: Array<string> = []
  return {
    streamVersion: `SELECT COALESCE(MAX(version), 0) AS version FROM ${events} WHERE stream_id = ?`,
    headPosition: `SELECT COALESCE(MAX(position), 0) AS position FROM ${events}`,
    storedIds: `SELECT event_id, version, position, type, data FROM ${events} WHERE stream_id = ? AND event_id IN (SELECT value FROM json_each(?))`,
    insert: `${into}(?, ?, ?, ?, ?, ?, ?)`,
    insertRows: (rows) =>
      (inserts[rows] ??=
        `${into}${Array.from({ length: rows }, () => "(?, ?, ?, ?, ?, ?, ?)").join(", ")} RETURNING version, position`),
    readForward: `SELECT ${columns} FROM ${events} WHERE stream_id = ? AND version >= ? AND version <= ? ORDER BY version ASC LIMIT ?`,
    readBackward: `SELECT ${columns} FROM ${events} WHERE stream_id = ? AND version <= ? AND version >= ? ORDER BY version DESC LIMIT ?`,
    readAll: `SELECT ${columns}, stream_id FROM ${events} WHERE position > ? ORDER BY position ASC LIMIT ?`
  }
}
