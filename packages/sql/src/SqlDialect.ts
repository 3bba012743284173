/**
 * What a SQL database brings to the shared engine: the one place where databases differ. A dialect is data and pure
 * functions — SQL text with its parameters, migrations as statement lists, how positions are stored and read, how a
 * transaction of the engine's own begins, and which driver errors mean "retry" or "someone else wrote this row".
 * The engine (`SqlEngine`), the checkpoint and snapshot stores and the migration runner do the rest, alike for every
 * database.
 *
 * What a dialect guarantees, statement by statement:
 * - rows come back as arrays of column values, in the layouts `EventRows` describes;
 * - `readAll` returns events in the global order, after the given position, and only events no transaction still in
 *   flight can precede (a database whose transactions commit out of position order reads only below the oldest
 *   transaction in flight), and `headPosition` is the last event of that same order;
 * - either `beginTransaction` takes a lock that holds the stream's facts until commit (SQLite's `BEGIN IMMEDIATE`),
 *   or the unique indexes on (stream, version) and (stream, event id) reject a write based on stale facts, which the
 *   engine then decides again (PostgreSQL).
 *
 * @since 0.1.0
 */
import type { Position } from "@chronicle/core"
import type { AdminEngine, StorageEngine } from "@chronicle/core/engine"

/**
 * One statement: its SQL text (with the dialect's own placeholders) and its parameters.
 *
 * @since 0.1.0
 * @category models
 */
export type Query = readonly [text: string, params: ReadonlyArray<unknown>]

/**
 * Versioned migrations, for `@effect/sql`'s Migrator: keys are `"<id>_<name>"` (`"1_create_events"`), values the
 * statements of that migration, run in order in one transaction. A released migration never changes; a change of
 * schema is a new migration.
 *
 * @since 0.1.0
 * @category models
 */
export type Migrations = Readonly<Record<string, ReadonlyArray<string>>>

/**
 * The validated names of the event store's tables.
 *
 * @since 0.1.0
 * @category models
 */
export interface EventTables {
  readonly events: string
  readonly migrations: string
}

/**
 * How a dialect stores positions: `width` columns per event, decoded into a `Position` from a row starting at
 * column `at`. A single-writer database uses one counter column (`PositionEncoding.fromCounter`); a database whose
 * transactions commit out of order uses two, such as (transaction id, sequence) (`PositionEncoding.fromPair`).
 *
 * @since 0.1.0
 * @category models
 */
export interface PositionColumns {
  readonly width: number
  readonly decode: (row: ReadonlyArray<unknown>, at: number) => Position.Position
}

/**
 * The statements of the event store. Row layouts are those of `EventRows`.
 *
 * - `streamVersion`: one row, one column, the stream's current version (0 when it has no events);
 * - `insert` writes each event's tags too (and the dialect indexes them);
 * - `storedIds`: the stream's events carrying any of the ids, as stored-id rows;
 * - `insert`: the statements that write a batch at versions `current + 1 ...`, each returning insert rows for the
 *   events it wrote;
 * - `readStream`: one page of a stream, as event rows without the stream id;
 * - `readAll`: one page of the global order after a position, as event rows with the stream id;
 * - `readFiltered`: one page of `readAll` restricted to a filter (a query or a category, up to `until`), through the
 *   tag and type indexes; with `scope` `"committed"` (an append condition's check, inside the append's transaction),
 *   every committed event, without the visibility rule of global reads;
 * - `conditionLocks` (optional): statements run first in every append's transaction (a plain one's under the condition
 *   `Query.none`), for a database whose transactions do not exclude each other (PostgreSQL): after them, no
 *   transaction that could write an event matching the condition, or check a condition the batch's events match, runs
 *   its check or write at the same time; `appendChecked` then takes the batch's locks in its one statement;
 * - `transactionWrote` (optional, with `conditionLocks`): one row, one boolean, whether the application's transaction
 *   has written before (its position is then fixed before the locks, so a conditional append in it is refused);
 * - `headPosition`: at most one row, the position columns of the last event (no row or zeros when there is none);
 * - `appendChecked` (optional): one statement that is a whole append on its own, for a database where one statement
 *   outside a transaction is its own transaction (one round trip instead of a transaction's four): it reads the
 *   stream's version, checks it against the expectation (`AppendRule.acceptedVersions`) and inserts the batch at the
 *   versions after it, returning its insert rows, or no row when the check fails. The unique index on (stream, event
 *   id) refuses a batch carrying a stored id, and the one on (stream, version) a concurrent writer's version, so a
 *   batch it writes is one the rule would write; on no row or a unique violation, the engine decides by the rule.
 *
 * For `StoreAdmin` (row layouts in `EventRows`):
 * - `listStreams`: one page of streams (ids starting with `range.prefix`, above `range.after` when given, in ascending
 *   code point order — SQLite's `BINARY`, PostgreSQL's `COLLATE "C"` — at most `range.limit`), as stream rows;
 * - `totals`: one row, `events, streams, min(recorded_at), max(recorded_at)` (the times null when empty);
 * - `eventTypes`: rows `type, count`, in ascending order of type;
 * - `size`: one row, the database's size on disk in bytes, or null when it has no file (SQLite's `:memory:`);
 * - `countAfter`: one row, the number of events after a position that `readAll` would read;
 * - `lastCommitted` (optional): at most one row, the position columns of the last committed event whether `readAll`
 *   sees it yet or not (without it, `headPosition`: right for databases whose commits come in position order).
 *
 * @since 0.1.0
 * @category models
 */
export interface EventStatements {
  readonly streamVersion: (streamId: string) => Query
  readonly storedIds: (streamId: string, ids: ReadonlyArray<string>) => Query
  readonly insert: (request: StorageEngine.AppendRequest, current: number) => ReadonlyArray<Query>
  readonly readStream: (streamId: string, range: StorageEngine.StreamRange) => Query
  readonly readAll: (after: Position.Position, limit: number) => Query
  readonly readFiltered: (
    filter: StorageEngine.EventFilter,
    after: Position.Position,
    limit: number,
    scope: "global" | "committed"
  ) => Query
  readonly conditionLocks?:
    | ((
        requests: ReadonlyArray<StorageEngine.AppendRequest>,
        condition: StorageEngine.Condition
      ) => ReadonlyArray<Query>)
    | undefined
  readonly transactionWrote?: Query | undefined
  readonly headPosition: Query
  readonly appendChecked?: ((request: StorageEngine.AppendRequest) => Query) | undefined
  readonly listStreams: (range: AdminEngine.StreamsRange) => Query
  readonly totals: Query
  readonly eventTypes: Query
  readonly size: Query
  readonly countAfter: (after: Position.Position) => Query
  readonly lastCommitted?: Query | undefined
}

/**
 * The statements of a checkpoint store (positions are kept as their text, `Position.format`).
 *
 * - `load`: at most one row, `[position]`;
 * - `hold`: run at the start of a commit's transaction; the last returns the row of `load`, and after them the
 *   checkpoint cannot change until the transaction ends (SQLite's `BEGIN IMMEDIATE` holds the whole database already;
 *   a database with row locks inserts the row if missing and locks it);
 * - `save`: writes the position, inserting the row or updating it;
 * - `list`: every checkpoint, rows `[name, position]`, in ascending code point order of name.
 *
 * @since 0.1.0
 * @category models
 */
export interface CheckpointStatements {
  readonly load: (name: string) => Query
  readonly list: Query
  readonly hold: (name: string) => ReadonlyArray<Query>
  readonly save: (name: string, position: string) => Query
}

/**
 * The statements of a snapshot store.
 *
 * - `load`: at most one row, `[version, schemaVersion, stateJson]`;
 * - `save`: inserts or replaces the stream's snapshot, unless the stored one has a higher version;
 * - `delete`: removes the stream's snapshot.
 *
 * @since 0.1.0
 * @category models
 */
export interface SnapshotStatements {
  readonly load: (streamId: string) => Query
  readonly save: (snapshot: {
    readonly streamId: string
    readonly version: number
    readonly schemaVersion: string
    readonly stateJson: string
  }) => Query
  readonly delete: (streamId: string) => Query
}

/**
 * A table's migrations together with the statements that use it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Schema<S> {
  readonly migrations: Migrations
  readonly statements: S
}

/**
 * The rules of table names in a dialect: names are spliced into SQL text, so only plain identifiers
 * (`[A-Za-z_][A-Za-z0-9_]*`) of at most `maxLength` characters are accepted, and none starting with a prefix the
 * database reserves.
 *
 * @since 0.1.0
 * @category models
 */
export interface IdentifierRules {
  readonly maxLength: number
  readonly reservedPrefixes: ReadonlyArray<string>
}

/**
 * A SQL dialect: everything the shared engine and stores need to know about one database.
 *
 * - `name`: the database's name, for messages;
 * - `beginTransaction`: the statement that opens a transaction of the engine's own (appends, checkpoint commits,
 *   migrations), such as `BEGIN IMMEDIATE` or `BEGIN`;
 * - `beforeMigrations`: statements run first in the migrations' transaction, to keep processes that start together
 *   from migrating at once (none when `beginTransaction` already excludes them; PostgreSQL takes an advisory lock and
 *   creates the migrations table, as a failed statement would end its transaction);
 * - `isRetryable`: whether a failure means the transaction met another one's lock and may be run again from the start
 *   (SQLite's `SQLITE_BUSY`, a deadlock or serialization failure);
 * - `isUniqueViolation`: whether a failure is a unique index rejecting a row, so that the facts an append decided on
 *   were stale and the append is decided again;
 * - `tableExists`: a statement returning a row when the table exists, none otherwise (for migration status and for
 *   telling a Chronicle database from another one).
 *
 * @since 0.1.0
 * @category models
 */
export interface SqlDialect {
  readonly name: string
  readonly identifiers: IdentifierRules
  readonly beginTransaction: string
  readonly beforeMigrations: (migrationsTable: string) => ReadonlyArray<string>
  readonly isRetryable: (error: unknown) => boolean
  readonly isUniqueViolation: (error: unknown) => boolean
  readonly tableExists: (table: string) => Query
  readonly position: PositionColumns
  readonly events: (tables: EventTables) => Schema<EventStatements>
  readonly checkpoints: (table: string) => Schema<CheckpointStatements>
  readonly snapshots: (table: string) => Schema<SnapshotStatements>
}
