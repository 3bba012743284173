/**
 * The PostgreSQL dialect: all of the store's SQL, its migrations, and what PostgreSQL's errors mean.
 *
 * **Positions** are pairs (transaction id, sequence): `transaction_id` is the top-level transaction's id
 * (`pg_current_xact_id()`, an `xid8`, the column's default) and `seq` a global identity sequence. `readAll` and
 * `headPosition` see only rows whose transaction id is below `pg_snapshot_xmin(pg_current_snapshot())`, the oldest
 * transaction still in flight when the statement's snapshot was taken, and order them by (transaction id, sequence),
 * a keyset walk of the primary key with no sort:
 *
 * - every transaction below the horizon has ended, so the rows below it are final: no row below it can commit later;
 * - a transaction that gets an id later gets a higher one than any below the horizon, and a transaction in flight has
 *   one at or above it, so every row that appears later sorts after every row a reader has passed.
 *
 * So a reader never passes a position and later finds an event before it. A transaction that stays open holds the
 * horizon back: readers wait for it (they never skip it). Ordering by the sequence alone would lose events (a lower
 * number taken by a transaction that commits later), and so would filtering by the horizon while ordering by the
 * sequence: a sequence number can be drawn before its transaction has an id (nextval runs before the insert that
 * assigns it), so a transaction can hold a lower number and a higher id than one a reader has already passed.
 *
 * **Appends** are one statement outside a transaction (`appendChecked`): take the batch's shared advisory locks
 * (`filtered.ts`), read the stream's version, check the expectation, insert the whole batch from `unnest` arrays, return the versions and positions; when the check fails or
 * a unique index refuses a row, the shared engine decides by the rule in a `BEGIN` (read committed) transaction, where
 * the unique indexes on (stream_id, version) and (stream_id, event_id) catch facts that went stale. Event data and
 * metadata are `json` columns (kept as the text the store front serialized, byte for byte; never `jsonb`, which
 * reorders keys), read back as text.
 *
 * Migrations, per table (each table records its own), all in one transaction that first takes an advisory lock on
 * the migrations table's name and creates that table (a statement that fails would end the transaction), so that
 * processes starting together migrate one after the other:
 * - events (`chronicle_migrations`): 1 `create_events`;
 * - checkpoints (`<table>_migrations`): 1 `create_checkpoints`;
 * - snapshots (`<table>_migrations`): 1 `create_snapshots`.
 *
 * @since 0.1.0
 * @internal
 */
import { type ExpectedVersion, Position } from "@chronicle/core"
import { AppendRule, PositionEncoding, type StorageEngine } from "@chronicle/core/engine"
import { type SqlDialect, SqlFault } from "@chronicle/sql"
import * as Filtered from "./filtered.js"

/**
 * A table name as an SQL identifier (names are validated plain identifiers: `[A-Za-z_][A-Za-z0-9_]*`).
 *
 * @since 0.1.0
 * @internal
 */
export const quote = (name: string): string => `"${name}"`

const codeIn = (error: unknown, codes: ReadonlyArray<string>) => {
  const code = SqlFault.errorCode(error)
  return code !== undefined && codes.includes(code)
}

const asNumber = (value: unknown): number => (typeof value === "number" ? value : Number(value))

const position: SqlDialect.PositionColumns = {
  width: 2,
  decode: (row, at) => PositionEncoding.fromPair(asNumber(row[at]), asNumber(row[at + 1]))
}

/** The columns of event rows (`EventRows`): the JSON columns read back as their text. */
const eventColumns = "version, event_id, type, data::text, metadata::text, recorded_at, tags::text, transaction_id, seq"

/** The visibility rule of global reads: only transactions that have all ended. */
const belowHorizon = "transaction_id < pg_snapshot_xmin(pg_current_snapshot())"

/** A batch's columns as arrays, for `unnest`, in this order: ids, types, data, metadata, recorded at, tags. */
const arrays = (events: ReadonlyArray<StorageEngine.PreparedEvent>) => {
  // Stryker disable ArrayDeclaration: sized up front, each array has every index written before it is read.
  const ids: Array<string> = new Array(events.length)
  const types: Array<string> = new Array(events.length)
  const data: Array<string> = new Array(events.length)
  const metadata: Array<string> = new Array(events.length)
  const recordedAt: Array<number> = new Array(events.length)
  const tags: Array<string | null> = new Array(events.length)
  // Stryker restore ArrayDeclaration
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!
    ids[i] = event.id
    types[i] = event.type
    data[i] = event.dataJson
    metadata[i] = event.metadataJson
    recordedAt[i] = event.recordedAt
    // Stryker disable next-line ConditionalExpression: no tags stored as `[]` read back as none and index nothing too;
    // NULL only spares the trigger.
    tags[i] = event.tags.length === 0 ? null : JSON.stringify(event.tags)
  }
  return [ids, types, data, metadata, recordedAt, tags] as const
}

/** `unnest` of the batch's arrays from parameter `$from`, numbered from 1 in batch order (`e.n`). */
const batchFrom = (from: number) =>
  `unnest($${from}::uuid[], $${from + 1}::text[], $${from + 2}::json[], $${from + 3}::json[], $${from + 4}::bigint[], $${from + 5}::json[]) ` +
  "WITH ORDINALITY AS e(event_id, type, data, metadata, recorded_at, tags, n)"

const insertColumns = "(stream_id, version, event_id, type, data, metadata, recorded_at, tags)"

/**
 * The name of an object that belongs to a table (`<table>_tags`, ...), within PostgreSQL's 63 bytes: when the table's
 * name leaves no room for the suffix, its start, a hash of the whole name, then the suffix (PostgreSQL would cut the
 * name short instead, and a cut `<table>_tags` could be the table's own name).
 *
 * @since 0.1.0
 * @internal
 */
export const companion = (table: string, suffix: string): string => {
  const name = `${table}${suffix}`
  if (name.length <= 63) return name
  let hash = 0x811c9dc5
  for (let i = 0; i < table.length; i++) hash = Math.imul(hash ^ table.charCodeAt(i), 0x01000193) >>> 0
  return `${table.slice(0, 63 - suffix.length - 9)}_${hash.toString(16).padStart(8, "0")}${suffix}`
}

/**
 * The lowest and highest version an expectation accepts, as parameters.
 *
 * @since 0.1.0
 * @internal
 */
export const versionBounds = (expected: ExpectedVersion.ExpectedVersion): readonly [number, number] =>
  AppendRule.acceptedVersions(expected)

/**
 * The name of the notification channel of an events table (the table's name).
 *
 * @since 0.1.0
 * @internal
 */
export const channel = (tables: SqlDialect.EventTables): string => tables.events

/**
 * The events table's schema and statements.
 *
 * @since 0.1.0
 * @internal
 */
export const events = (tables: SqlDialect.EventTables): SqlDialect.Schema<SqlDialect.EventStatements> => {
  const table = quote(tables.events)
  const tagsTable = quote(companion(tables.events, "_tags"))
  const indexTags = quote(companion(tables.events, "_index_tags"))
  const streamVersion = `SELECT COALESCE(MAX(version), 0) FROM ${table} WHERE stream_id = $1`
  const storedIds = `SELECT event_id, version, type, data::text, transaction_id, seq FROM ${table} WHERE stream_id = $1 AND event_id = ANY($2::uuid[])`
  const readForward = `SELECT ${eventColumns} FROM ${table} WHERE stream_id = $1 AND version >= $2 AND version <= $3 ORDER BY version ASC LIMIT $4`
  const readBackward = `SELECT ${eventColumns} FROM ${table} WHERE stream_id = $1 AND version <= $2 AND version >= $3 ORDER BY version DESC LIMIT $4`
  const readAll =
    `SELECT ${eventColumns}, stream_id FROM ${table} ` +
    `WHERE (transaction_id, seq) > ($1::xid8, $2::bigint) AND ${belowHorizon} ` +
    "ORDER BY transaction_id, seq LIMIT $3"
  const headPosition = `SELECT transaction_id, seq FROM ${table} WHERE ${belowHorizon} ORDER BY transaction_id DESC, seq DESC LIMIT 1`
  // Rows are inserted in batch order (`ORDER BY e.n`), so their sequence numbers increase with their versions.
  const insert =
    `INSERT INTO ${table} ${insertColumns} ` +
    `SELECT $1, $2::bigint + e.n, e.event_id, e.type, e.data, e.metadata, e.recorded_at, e.tags FROM ${batchFrom(3)} ` +
    "ORDER BY e.n RETURNING version, transaction_id, seq"
  // The batch's shared advisory locks first (the `WHERE` waits for `locks`, an uncorrelated subquery evaluated once
  // before any row is inserted), so a conditional append whose condition matches the batch never checks while it
  // writes; the statement is its own transaction, so the locks hold until its commit.
  const appendChecked =
    `WITH ${Filtered.sharedLocksCte("$10")}, ` +
    `current AS (SELECT COALESCE(MAX(version), 0) AS version FROM ${table} WHERE stream_id = $1) ` +
    `INSERT INTO ${table} ${insertColumns} ` +
    `SELECT $1, current.version + e.n, e.event_id, e.type, e.data, e.metadata, e.recorded_at, e.tags FROM current, ${batchFrom(4)} ` +
    "WHERE (SELECT taken FROM locks) >= 0 AND current.version BETWEEN $2 AND $3 ORDER BY e.n RETURNING version, transaction_id, seq"
  // Listings see what `readAll` sees (below the horizon), in code point order (the "C" collation), whatever the
  // database's default collation is.
  const listStreams =
    "SELECT s.stream_id, s.version, e.recorded_at, e.transaction_id, e.seq FROM (" +
    `SELECT stream_id, MAX(version) AS version FROM ${table} ` +
    `WHERE ${belowHorizon} AND stream_id COLLATE "C" > $1 AND starts_with(stream_id, $2) ` +
    `GROUP BY stream_id ORDER BY stream_id COLLATE "C" LIMIT $3) s ` +
    `JOIN ${table} e ON e.stream_id = s.stream_id AND e.version = s.version ORDER BY s.stream_id COLLATE "C"`
  const totals = `SELECT COUNT(*), COUNT(DISTINCT stream_id), MIN(recorded_at), MAX(recorded_at) FROM ${table} WHERE ${belowHorizon}`
  const eventTypes = `SELECT type, COUNT(*) FROM ${table} WHERE ${belowHorizon} GROUP BY type ORDER BY type COLLATE "C"`
  // The last committed event, above the horizon too: what readAll reaches once the transactions before it end.
  const lastCommitted = `SELECT transaction_id, seq FROM ${table} ORDER BY transaction_id DESC, seq DESC LIMIT 1`
  const countAfter = `SELECT COUNT(*) FROM ${table} WHERE (transaction_id, seq) > ($1::xid8, $2::bigint) AND ${belowHorizon}`
  return {
    migrations: {
      "1_create_events": [
        `CREATE TABLE ${table} (
  transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  seq bigint GENERATED ALWAYS AS IDENTITY,
  stream_id text NOT NULL,
  version bigint NOT NULL,
  event_id uuid NOT NULL,
  type text NOT NULL,
  data json NOT NULL,
  metadata json NOT NULL,
  recorded_at bigint NOT NULL,
  PRIMARY KEY (transaction_id, seq),
  UNIQUE (stream_id, version),
  UNIQUE (stream_id, event_id)
)`
      ],
      // Tags as JSON on the event (read back with it), indexed by (tag, position) in a table a trigger fills, so every
      // writer indexes them; types indexed by (type, position).
      "2_tags": [
        `ALTER TABLE ${table} ADD COLUMN tags json`,
        `CREATE TABLE ${tagsTable} (tag text NOT NULL, transaction_id xid8 NOT NULL, seq bigint NOT NULL, PRIMARY KEY (tag, transaction_id, seq))`,
        `CREATE FUNCTION ${indexTags}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ` +
          `INSERT INTO ${tagsTable} (tag, transaction_id, seq) SELECT value, NEW.transaction_id, NEW.seq FROM json_array_elements_text(NEW.tags); ` +
          "RETURN NULL; END $$",
        `CREATE TRIGGER ${indexTags} AFTER INSERT ON ${table} FOR EACH ROW WHEN (NEW.tags IS NOT NULL) EXECUTE FUNCTION ${indexTags}()`,
        `CREATE INDEX ${quote(companion(tables.events, "_types"))} ON ${table} (type, transaction_id, seq)`
      ]
    },
    statements: {
      streamVersion: (streamId) => [streamVersion, [streamId]],
      storedIds: (streamId, ids) => [storedIds, [streamId, ids]],
      insert: (request, current) => [[insert, [request.streamId, current, ...arrays(request.events)]]],
      readStream: (streamId, range) => [
        range.direction === "forward" ? readForward : readBackward,
        [streamId, range.from, range.to, range.limit]
      ],
      readAll: (after, limit) => {
        const [transaction, seq] = PositionEncoding.toPair(after)
        return [readAll, [String(transaction), seq, limit]]
      },
      headPosition: [headPosition, []],
      readFiltered: (filter, after, limit, scope) =>
        Filtered.read(
          { table, tags: tagsTable, columns: eventColumns, horizon: belowHorizon },
          filter,
          after,
          limit,
          scope
        ),
      conditionLocks: (requests, condition) => [Filtered.locks(requests, condition)],
      appendChecked: (request) => [
        appendChecked,
        [
          request.streamId,
          ...versionBounds(request.expectedVersion),
          ...arrays(request.events),
          Filtered.sharedKeys(request)
        ]
      ],
      transactionWrote: ["SELECT pg_current_xact_id_if_assigned() IS NOT NULL", []],
      listStreams: (range) => [listStreams, [range.after ?? "", range.prefix, range.limit]],
      totals: [totals, []],
      eventTypes: [eventTypes, []],
      // The table with its indexes and TOAST data (the database holds more, which is not the store's).
      size: [`SELECT pg_total_relation_size('${table}'::regclass)`, []],
      lastCommitted: [lastCommitted, []],
      countAfter: (after) => {
        const [transaction, seq] = PositionEncoding.toPair(after)
        return [countAfter, [String(transaction), seq]]
      }
    }
  }
}

const checkpoints = (name: string): SqlDialect.Schema<SqlDialect.CheckpointStatements> => {
  const table = quote(name)
  const load = `SELECT position FROM ${table} WHERE name = $1`
  return {
    migrations: {
      "1_create_checkpoints": [`CREATE TABLE ${table} (name text PRIMARY KEY, position text NOT NULL)`]
    },
    statements: {
      load: (projection) => [load, [projection]],
      list: [`SELECT name, position FROM ${table} ORDER BY name COLLATE "C"`, []],
      // The row exists from the first commit on (a new projection's at position 0) and stays locked until the commit
      // ends: of two commits from the same position, the second waits, then reads the first one's position.
      hold: (projection) => [
        [
          `INSERT INTO ${table} (name, position) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
          [projection, Position.format(Position.start)]
        ],
        [`${load} FOR UPDATE`, [projection]]
      ],
      save: (projection, at) => [
        `INSERT INTO ${table} (name, position) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
        [projection, at]
      ]
    }
  }
}

const snapshots = (name: string): SqlDialect.Schema<SqlDialect.SnapshotStatements> => {
  const table = quote(name)
  return {
    migrations: {
      "1_create_snapshots": [
        `CREATE TABLE ${table} (stream_id text PRIMARY KEY, version bigint NOT NULL, schema_version text NOT NULL, state text NOT NULL)`
      ]
    },
    statements: {
      load: (streamId) => [`SELECT version, schema_version, state FROM ${table} WHERE stream_id = $1`, [streamId]],
      save: (snapshot) => [
        `INSERT INTO ${table} (stream_id, version, schema_version, state) VALUES ($1, $2, $3, $4) ` +
          "ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, " +
          "schema_version = excluded.schema_version, state = excluded.state " +
          `WHERE excluded.version >= ${table}.version`,
        [snapshot.streamId, snapshot.version, snapshot.schemaVersion, snapshot.stateJson]
      ],
      delete: (streamId) => [`DELETE FROM ${table} WHERE stream_id = $1`, [streamId]]
    }
  }
}

/**
 * Statements run first in the migrations' transaction: an advisory lock on the migrations table's name (so processes
 * starting together migrate one after the other), then the migrations table, if missing (the Migrator looks for it
 * with a statement that fails when it is missing, which would end the transaction).
 *
 * @since 0.1.0
 * @internal
 */
export const beforeMigrations = (migrationsTable: string): ReadonlyArray<string> => [
  `SELECT pg_advisory_xact_lock(hashtext('chronicle.migrations'), hashtext('${migrationsTable}'))`,
  `CREATE TABLE IF NOT EXISTS ${quote(migrationsTable)} (
  migration_id integer PRIMARY KEY,
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  name text NOT NULL
)`
]

/**
 * The PostgreSQL dialect.
 *
 * @since 0.1.0
 * @internal
 */
export const dialect: SqlDialect.SqlDialect = {
  // Stryker disable next-line StringLiteral: a name for people reading the dialect; no code reads it.
  name: "PostgreSQL",
  identifiers: { maxLength: 63, reservedPrefixes: ["pg_"] },
  beginTransaction: "BEGIN",
  beforeMigrations,
  // Serialization failure, deadlock: the transaction may be run again from the start.
  isRetryable: (error) => codeIn(error, ["40001", "40P01"]),
  isUniqueViolation: (error) => codeIn(error, ["23505"]),
  tableExists: (table) => ["SELECT 1 WHERE to_regclass(quote_ident($1)) IS NOT NULL", [table]],
  position,
  events,
  checkpoints,
  snapshots
}
