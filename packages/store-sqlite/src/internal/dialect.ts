/**
 * The SQLite dialect: all of the store's SQL, its migrations, and what SQLite's errors mean. Both engines use it —
 * the shared `SqlEngine` over an application's client and the store's own engine on the connection it opens — so
 * every statement is written once.
 *
 * Event ids: only the ids callers chose are indexed (a partial unique index on `(stream_id, event_id)`). An index
 * entry per event would be a third b-tree written by every append, one more page per commit; so an event appended
 * without an id is written with an id that carries its stream version (`EventIds.atVersion`, `id_generated = 1`),
 * found again through the `(stream_id, version)` index the append rule reads anyway (`EventIds.versionOf`).
 *
 * Positions are the events table's row ids (`position INTEGER PRIMARY KEY`): SQLite has one writer at a time and
 * assigns them inside the write transaction, so the row-id order is the commit order and every reader may read up to
 * the last row. Appends take the write lock up front (`BEGIN IMMEDIATE`), so the facts an append decides on hold
 * until it commits.
 *
 * Migrations, per table (each table records its own):
 * - events (`chronicle_migrations`): 1 `create_events`, 2 `index_chosen_ids_only` (rebuilds the table with an
 *   `id_generated` column and indexes only the ids callers chose; every event is copied, its position kept, and
 *   indexed as before), 3 `tags` (a `tags` column, the `<events>_tags` table its trigger fills, a `(type, position)`
 *   index), 4 `types_indexed_in_runs` (that index replaced by `<events>_types`, written in runs: `typeIndex`);
 * - checkpoints (`<table>_migrations`): 1 `create_checkpoints` (the first release's table, integer positions),
 *   2 `positions_as_text` (rebuilds the table with text positions, copying every checkpoint: `42` becomes `"42"`);
 * - snapshots (`<table>_migrations`): 1 `create_snapshots`.
 *
 * The first release created its checkpoint and snapshot tables without recording migrations; their first migrations
 * create the tables only if missing, so such a database is migrated in place.
 *
 * @since 0.1.0
 * @internal
 */
import type { Position } from "@chronicle/core"
import { EventIds, PositionEncoding, type StorageEngine } from "@chronicle/core/engine"
import { type SqlDialect, SqlFault } from "@chronicle/sql"

const quote = (name: string) => `"${name}"`

const codeStartsWith = (error: unknown, prefixes: ReadonlyArray<string>) => {
  const code = SqlFault.errorCode(error)
  return code !== undefined && prefixes.some((prefix) => code.startsWith(prefix))
}

/**
 * Whether an error is SQLite reporting a lock held by another connection (`SQLITE_BUSY*` or `SQLITE_LOCKED*`).
 *
 * @since 0.1.0
 * @internal
 */
export const isBusy = (error: unknown): boolean => codeStartsWith(error, ["SQLITE_BUSY", "SQLITE_LOCKED"])

/**
 * Whether an error is a unique index (or the primary key) refusing a row.
 *
 * @since 0.1.0
 * @internal
 */
export const isUniqueViolation = (error: unknown): boolean =>
  codeStartsWith(error, ["SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"])

/**
 * Whether an error is a constraint refusing a row (a unique index, a NOT NULL column, ...).
 *
 * @since 0.1.0
 * @internal
 */
export const isConstraintViolation = (error: unknown): boolean => codeStartsWith(error, ["SQLITE_CONSTRAINT"])

/**
 * The most rows one multi-row `INSERT` writes (900 parameters); longer batches take several statements in the same
 * transaction. Both engines insert this way: one statement per 100 events costs a third less than one per event.
 *
 * @since 0.1.0
 * @internal
 */
export const maxRowsPerInsert = 100

const position: SqlDialect.PositionColumns = {
  width: 1,
  decode: (row, at) => {
    const value = row[at]
    return PositionEncoding.fromCounter(typeof value === "number" ? value : Number(value))
  }
}

/** The columns of event rows (`EventRows`): the position is the row id. */
const eventColumns = "version, event_id, type, data, metadata, recorded_at, tags, position"

/** The columns of the events table as the first release made it (the second migration adds `id_generated`). */
const eventsColumns = `  position INTEGER PRIMARY KEY,
  stream_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  event_id TEXT NOT NULL,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  metadata TEXT NOT NULL,
  recorded_at INTEGER NOT NULL`

/** The columns the second migration copies, every event's as it was. */
const copied = "position, stream_id, version, event_id, type, data, metadata, recorded_at"

/** The columns of stored-id rows (`EventRows.storedEvents`). */
const storedColumns = "event_id, version, type, data, position"

/**
 * The number of parameters of one event's row in an insert.
 *
 * @since 0.1.0
 * @internal
 */
export const rowWidth = 9

/**
 * Writes the parameters of one event's row into `params` from index `at`: stream id, version, event id (a generated
 * one carries its version), type, data, metadata, recorded at, whether the id was generated, and the tags (JSON text,
 * or null when there are none).
 *
 * @since 0.1.0
 * @internal
 */
export const writeRow = (
  params: Array<unknown>,
  at: number,
  streamId: string,
  event: StorageEngine.PreparedEvent,
  version: number
): void => {
  const generated = event.idProvided || version > EventIds.maxVersion ? undefined : EventIds.atVersion(version)
  params[at] = streamId
  params[at + 1] = version
  params[at + 2] = generated ?? event.id
  params[at + 3] = event.type
  params[at + 4] = event.dataJson
  params[at + 5] = event.metadataJson
  params[at + 6] = event.recordedAt
  params[at + 7] = generated === undefined ? 0 : 1
  params[at + 8] = event.tags.length === 0 ? null : JSON.stringify(event.tags)
}

/**
 * The parameters of `insertAfter` for one event appended at `version` (its stream at `version - 1`): the stream id and
 * version, then the stream id and version of the previous event, then the rest of `writeRow`'s row.
 *
 * @since 0.1.0
 * @internal
 */
export const loneRow = (streamId: string, event: StorageEngine.PreparedEvent, version: number): Array<unknown> => {
  const params: Array<unknown> = new Array(rowWidth + 2)
  writeRow(params, 2, streamId, event, version)
  params[0] = streamId
  params[1] = version
  params[3] = version - 1
  return params
}

/** The versions the batch's ids would be stored at if the store had generated them. */
const generatedVersions = (ids: ReadonlyArray<string>) => {
  const versions: Array<number> = []
  for (const id of ids) {
    const version = EventIds.versionOf(id)
    if (version !== undefined) versions.push(version)
  }
  return JSON.stringify(versions)
}

/**
 * The events table's schema; for the store's own engine, `insertRows(n)` inserts `n` events (`n` times the parameters
 * `writeRow` writes, at most `maxRowsPerInsert`) and returns nothing, and `insertAfter` inserts one event after the
 * version its stream must be at, an append and its check in one statement (`loneRow` writes its parameters): its
 * version is read from the stream's previous event, so a stream that is not there yet leaves it NULL and the insert
 * fails (NOT NULL), and a stream already past it fails the `(stream_id, version)` unique index.
 *
 * @since 0.1.0
 * @internal
 */
export const events = (
  tables: SqlDialect.EventTables
): SqlDialect.Schema<SqlDialect.EventStatements> & {
  readonly insertRows: (rows: number) => string
  readonly insertAfter: string
} => {
  const table = quote(tables.events)
  const next = quote(`${tables.events}_next`)
  const into = `INSERT INTO ${table} (stream_id, version, event_id, type, data, metadata, recorded_at, id_generated, tags) VALUES `
  const row = "(?, ?, ?, ?, ?, ?, ?, ?, ?)"
  const tagsTable = quote(`${tables.events}_tags`)
  const types = typeIndex(tables.events)
  const streamVersion = `SELECT COALESCE(MAX(version), 0) FROM ${table} WHERE stream_id = ?`
  // Chosen ids through their partial index; generated ones at the versions they carry, through (stream_id, version).
  const storedIds =
    `SELECT ${storedColumns} FROM ${table} WHERE stream_id = ? AND id_generated = 0 AND event_id IN (SELECT value FROM json_each(?)) ` +
    `UNION ALL SELECT ${storedColumns} FROM ${table} WHERE stream_id = ? AND version IN (SELECT value FROM json_each(?)) ` +
    "AND id_generated = 1 AND event_id IN (SELECT value FROM json_each(?))"
  const readForward = `SELECT ${eventColumns} FROM ${table} WHERE stream_id = ? AND version >= ? AND version <= ? ORDER BY version ASC LIMIT ?`
  const readBackward = `SELECT ${eventColumns} FROM ${table} WHERE stream_id = ? AND version <= ? AND version >= ? ORDER BY version DESC LIMIT ?`
  const readAll = `SELECT ${eventColumns}, stream_id FROM ${table} WHERE position > ? ORDER BY position ASC LIMIT ?`
  const listStreams =
    `SELECT stream_id, MAX(version), recorded_at, position FROM ${table} ` +
    "WHERE stream_id > ? AND stream_id >= ? AND substr(stream_id, 1, length(?)) = ? " +
    "GROUP BY stream_id ORDER BY stream_id LIMIT ?"
  const plainInserts: Array<string> = []
  const insertRows = (rows: number) =>
    (plainInserts[rows] ??= `${into}${Array.from({ length: rows }, () => row).join(", ")}`)
  // VALUES, not INSERT ... SELECT: SQLite copies a SELECT from the table it inserts into through a temporary table.
  const insertAfter =
    `INSERT INTO ${table} (stream_id, version, event_id, type, data, metadata, recorded_at, id_generated, tags) ` +
    `VALUES (?, (SELECT ? FROM ${table} WHERE stream_id = ? AND version = ?), ?, ?, ?, ?, ?, ?, ?)`
  const inserts: Array<string> = []
  const insertReturning = (rows: number) => (inserts[rows] ??= `${insertRows(rows)} RETURNING version, position`)
  const insert = (request: StorageEngine.AppendRequest, current: number): ReadonlyArray<SqlDialect.Query> => {
    const { events, streamId } = request
    const queries: Array<SqlDialect.Query> = []
    for (let start = 0; start < events.length; start += maxRowsPerInsert) {
      const end = Math.min(events.length, start + maxRowsPerInsert)
      const params: Array<unknown> = new Array((end - start) * rowWidth)
      for (let i = start; i < end; i++) writeRow(params, (i - start) * rowWidth, streamId, events[i]!, current + i + 1)
      queries.push([insertReturning(end - start), params])
    }
    return queries
  }
  return {
    migrations: {
      "1_create_events": [
        `CREATE TABLE IF NOT EXISTS ${table} (
${eventsColumns},
  UNIQUE (stream_id, version),
  UNIQUE (stream_id, event_id)
)`
      ],
      "2_index_chosen_ids_only": [
        `CREATE TABLE ${next} (
${eventsColumns},
  id_generated INTEGER NOT NULL DEFAULT 0,
  UNIQUE (stream_id, version)
)`,
        `INSERT INTO ${next} (${copied}) SELECT ${copied} FROM ${table}`,
        `DROP TABLE ${table}`,
        `ALTER TABLE ${next} RENAME TO ${table}`,
        `CREATE UNIQUE INDEX ${quote(`${tables.events}_chosen_ids`)} ON ${table} (stream_id, event_id) WHERE id_generated = 0`
      ],
      // Tags as JSON text on the event (read back with it), indexed by (tag, position) in a table a trigger fills, so
      // every writer — both engines, imports — indexes them; types indexed by (type, position).
      "3_tags": [
        `ALTER TABLE ${table} ADD COLUMN tags TEXT`,
        `CREATE TABLE ${tagsTable} (tag TEXT NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (tag, position)) WITHOUT ROWID`,
        `CREATE TRIGGER ${quote(`${tables.events}_index_tags`)} AFTER INSERT ON ${table} WHEN NEW.tags IS NOT NULL ` +
          `BEGIN INSERT INTO ${tagsTable} (tag, position) SELECT value, NEW.position FROM json_each(NEW.tags); END`,
        `CREATE INDEX ${quote(`${tables.events}_types`)} ON ${table} (type, position)`
      ],
      // Types indexed in runs of `typesRun` events instead of one entry per append: see `typeIndex`.
      "4_types_indexed_in_runs": [
        `DROP INDEX ${quote(`${tables.events}_types`)}`,
        `CREATE TABLE ${types.table} (type TEXT NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (type, position)) WITHOUT ROWID`,
        `CREATE TABLE ${types.indexed} (id INTEGER PRIMARY KEY CHECK (id = 1), up_to INTEGER NOT NULL)`,
        `INSERT INTO ${types.table} (type, position) SELECT type, position FROM ${table}`,
        `INSERT INTO ${types.indexed} (id, up_to) SELECT 1, COALESCE(MAX(position), 0) FROM ${table}`,
        `CREATE TRIGGER ${quote(`${tables.events}_index_types`)} AFTER INSERT ON ${table} WHEN NEW.position % ${typesRun} = 0 ` +
          `BEGIN INSERT INTO ${types.table} (type, position) SELECT type, position FROM ${table} ` +
          `WHERE position > (SELECT up_to FROM ${types.indexed}) AND position <= NEW.position; ` +
          `UPDATE ${types.indexed} SET up_to = NEW.position; END`
      ]
    },
    statements: {
      streamVersion: (streamId) => [streamVersion, [streamId]],
      storedIds: (streamId, ids) => {
        const idsJson = JSON.stringify(ids)
        return [storedIds, [streamId, idsJson, streamId, generatedVersions(ids), idsJson]]
      },
      insert,
      readStream: (streamId, range) => [
        range.direction === "forward" ? readForward : readBackward,
        [streamId, range.from, range.to, range.limit]
      ],
      readAll: (after, limit) => [readAll, [PositionEncoding.toCounter(after), limit]],
      readFiltered: (filter, after, limit) => filtered(table, tagsTable, types, filter, after, limit),
      headPosition: [`SELECT COALESCE(MAX(position), 0) FROM ${table}`, []],
      // SQLite returns the other columns of the row that holds MAX(version): the stream's last event.
      listStreams: (range) => [listStreams, [range.after ?? "", range.prefix, range.prefix, range.prefix, range.limit]],
      totals: [`SELECT COUNT(*), COUNT(DISTINCT stream_id), MIN(recorded_at), MAX(recorded_at) FROM ${table}`, []],
      eventTypes: [`SELECT type, COUNT(*) FROM ${table} GROUP BY type ORDER BY type`, []],
      size: [size, []],
      countAfter: (after) => [`SELECT COUNT(*) FROM ${table} WHERE position > ?`, [PositionEncoding.toCounter(after)]]
    },
    insertRows,
    insertAfter
  }
}

/** The highest row id: the bound of a read with no `until`. */
const lastRowId = Number.MAX_SAFE_INTEGER

/**
 * How many events one run of the type index covers: the index is written once per `typesRun` events.
 *
 * @since 0.1.0
 * @internal
 */
export const typesRun = 256

/**
 * The type index, in runs: `<events>_types (type, position)` holds the types of the events up to the position in
 * `<events>_types_indexed`; the trigger of migration 4 indexes the events after it whenever a row's position is a
 * multiple of `typesRun`, in the same transaction. An append therefore writes the index's pages once per `typesRun`
 * events rather than on every commit (a single-event append writes two b-trees, not three), and a read by type takes
 * the indexed positions from the index and the rest (fewer than `typesRun` events, the newest) from the events table
 * by position. Both are read in one statement, so they describe the same moment.
 */
const typeIndex = (events: string) => ({
  table: quote(`${events}_types`),
  indexed: quote(`${events}_types_indexed`)
})

/**
 * A filtered read: the positions of each query item (through the tags' primary key (tag, position), or the type
 * index), each item's at most `limit`, joined by UNION, then their events in order, at most `limit`. Types and extra
 * tags are bound as JSON arrays, so the text depends only on the query's shape (prepared once).
 */
const filtered = (
  table: string,
  tags: string,
  types: ReturnType<typeof typeIndex>,
  filter: StorageEngine.EventFilter,
  after: Position.Position,
  limit: number
): SqlDialect.Query => {
  const from = PositionEncoding.toCounter(after)
  const until = filter.until === undefined ? lastRowId : PositionEncoding.toCounter(filter.until)
  if (filter.query === undefined) {
    const prefix = filter.category ?? ""
    return [
      `SELECT ${eventColumns}, stream_id FROM ${table} WHERE position > ? AND position <= ? ` +
        "AND substr(stream_id, 1, ?) = ? ORDER BY position LIMIT ?",
      [from, until, prefix.length, prefix, limit]
    ]
  }
  const params: Array<unknown> = []
  const parts: Array<string> = []
  const indexedUpTo = `(SELECT up_to FROM ${types.indexed})`
  for (const item of filter.query.items) {
    const itemTags = item.tags ?? []
    const typesJson = item.types === undefined || item.types.length === 0 ? undefined : JSON.stringify(item.types)
    if (itemTags.length === 0) {
      if (typesJson === undefined) {
        parts.push(
          `SELECT position FROM (SELECT position FROM ${table} WHERE position > ? AND position <= ? ORDER BY position LIMIT ?)`
        )
        params.push(from, until, limit)
        continue
      }
      // The indexed runs, then the newest events the index does not hold yet.
      parts.push(
        `SELECT position FROM (SELECT position FROM ${types.table} WHERE type IN (SELECT value FROM json_each(?)) ` +
          `AND position > ? AND position <= MIN(?, ${indexedUpTo}) ORDER BY position LIMIT ?)`,
        `SELECT position FROM (SELECT position FROM ${table} WHERE position > MAX(?, ${indexedUpTo}) AND position <= ? ` +
          "AND type IN (SELECT value FROM json_each(?)) ORDER BY position LIMIT ?)"
      )
      params.push(typesJson, from, until, limit, from, until, typesJson, limit)
      continue
    }
    let text = `SELECT position FROM (SELECT t.position FROM ${tags} t WHERE t.tag = ? AND t.position > ? AND t.position <= ?`
    params.push(itemTags[0], from, until)
    if (itemTags.length > 1) {
      text += ` AND (SELECT COUNT(*) FROM ${tags} u WHERE u.position = t.position AND u.tag IN (SELECT value FROM json_each(?))) = ?`
      params.push(JSON.stringify(itemTags.slice(1)), itemTags.length - 1)
    }
    if (typesJson !== undefined) {
      text += ` AND (SELECT type FROM ${table} e WHERE e.position = t.position) IN (SELECT value FROM json_each(?))`
      params.push(typesJson)
    }
    parts.push(`${text} ORDER BY t.position LIMIT ?)`)
    params.push(limit)
  }
  if (parts.length === 0) return [`SELECT ${eventColumns}, stream_id FROM ${table} WHERE 0`, []]
  params.push(limit)
  return [
    `SELECT ${eventColumns}, stream_id FROM ${table} WHERE position IN (${parts.join(" UNION ")}) ORDER BY position LIMIT ?`,
    params
  ]
}

/** The database's size in bytes (its pages), or null for an in-memory database, which has no file. */
const size =
  "SELECT CASE WHEN (SELECT file FROM pragma_database_list WHERE name = 'main') = '' THEN NULL " +
  "ELSE (SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()) END"

const checkpoints = (name: string): SqlDialect.Schema<SqlDialect.CheckpointStatements> => {
  const table = quote(name)
  const load = `SELECT position FROM ${table} WHERE name = ?`
  const next = quote(`${name}_next`)
  return {
    migrations: {
      "1_create_checkpoints": [
        `CREATE TABLE IF NOT EXISTS ${table} (name TEXT PRIMARY KEY NOT NULL, position INTEGER NOT NULL) WITHOUT ROWID`
      ],
      "2_positions_as_text": [
        `CREATE TABLE ${next} (name TEXT PRIMARY KEY NOT NULL, position TEXT NOT NULL) WITHOUT ROWID`,
        `INSERT INTO ${next} (name, position) SELECT name, CAST(position AS TEXT) FROM ${table}`,
        `DROP TABLE ${table}`,
        `ALTER TABLE ${next} RENAME TO ${table}`
      ]
    },
    statements: {
      load: (projection) => [load, [projection]],
      list: [`SELECT name, position FROM ${table} ORDER BY name`, []],
      // The transaction began with BEGIN IMMEDIATE: it holds the write lock of the whole database already.
      hold: (projection) => [[load, [projection]]],
      save: (projection, position) => [
        `INSERT INTO ${table} (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
        [projection, position]
      ]
    }
  }
}

const snapshots = (name: string): SqlDialect.Schema<SqlDialect.SnapshotStatements> => {
  const table = quote(name)
  return {
    migrations: {
      "1_create_snapshots": [
        `CREATE TABLE IF NOT EXISTS ${table} (stream_id TEXT PRIMARY KEY NOT NULL, version INTEGER NOT NULL, schema_version TEXT NOT NULL, state TEXT NOT NULL) WITHOUT ROWID`
      ]
    },
    statements: {
      load: (streamId) => [`SELECT version, schema_version, state FROM ${table} WHERE stream_id = ?`, [streamId]],
      save: (snapshot) => [
        `INSERT INTO ${table} (stream_id, version, schema_version, state) VALUES (?, ?, ?, ?) ` +
          "ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, " +
          "schema_version = excluded.schema_version, state = excluded.state " +
          `WHERE excluded.version >= ${table}.version`,
        [snapshot.streamId, snapshot.version, snapshot.schemaVersion, snapshot.stateJson]
      ],
      delete: (streamId) => [`DELETE FROM ${table} WHERE stream_id = ?`, [streamId]]
    }
  }
}

/**
 * The SQLite dialect.
 *
 * @since 0.1.0
 * @internal
 */
export const dialect: SqlDialect.SqlDialect = {
  name: "SQLite",
  identifiers: { maxLength: 64, reservedPrefixes: ["sqlite_"] },
  beginTransaction: "BEGIN IMMEDIATE",
  beforeMigrations: () => [],
  isRetryable: isBusy,
  isUniqueViolation,
  tableExists: (table) => ["SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table]],
  position,
  events,
  checkpoints,
  snapshots
}
