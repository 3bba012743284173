/**
 * The physical limits of a SQLite store, on bare better-sqlite3 with none of Chronicle around them. Two layouts:
 *
 * - `chronicle` (store `bare`): the SQLite store's own table (same name, columns and indexes), so the ratio to it is
 *   what Chronicle's layers cost over hand-written code doing the same work;
 * - `lean` (store `lean`): the least a SQLite event store can keep, one `events` table with `(stream_id, version)`
 *   unique and nothing else (no event ids, metadata or times), so the ratio to it is the distance to the limit.
 *
 * Both run prepared statements, one `BEGIN IMMEDIATE` transaction per append with the same expected-version check
 * (select the current version, then insert), WAL, and `synchronous = NORMAL`, as the store sets by default.
 *
 * @since 0.1.0
 */
import { SqliteEventStore } from "@chronicle/store-sqlite"
import Database from "better-sqlite3"
import { Effect, Layer } from "effect"
import type * as Payload from "./Payload.js"

/**
 * A table layout: how the table is created, the columns reads select, and how one event becomes the parameters of its
 * insert.
 *
 * @since 0.1.0
 * @category models
 */
export interface Layout {
  readonly table: string
  /** Creates the table in the database file, if it is not there (the bare connection to it is open). */
  readonly create: (filename: string, db: Database.Database) => void
  readonly columns: string
  readonly insert: string
  readonly row: (
    streamId: string,
    version: number,
    payload: Payload.StoredPayload,
    recordedAt: number
  ) => Array<unknown>
}

/**
 * The SQLite store's events table, as its migrations leave it (same name, columns and indexes): generated ids, as
 * the store writes them for events appended without one, are not indexed.
 *
 * @since 0.1.0
 * @category constants
 */
export const chronicle: Layout = {
  table: `"chronicle_events"`,
  // The SQLite store's migrations create it (and are not timed): the table is the store's, whatever they make it.
  create: (filename) => Effect.runSync(Effect.scoped(Effect.asVoid(Layer.build(SqliteEventStore.layer({ filename }))))),
  columns: "position, stream_id, version, event_id, type, data, metadata, recorded_at",
  // A generated id, as the store writes for events appended without one (not indexed).
  insert: `INSERT INTO "chronicle_events" (stream_id, version, event_id, type, data, metadata, recorded_at, id_generated) VALUES (?, ?, ?, ?, ?, ?, ?, 1)`,
  row: (streamId, version, payload, recordedAt) => [
    streamId,
    version,
    crypto.randomUUID(),
    payload.type,
    payload.data,
    "{}",
    recordedAt
  ]
}

/**
 * The lean limit: one table, the events' stream, version, type and data, `(stream_id, version)` unique.
 *
 * @since 0.1.0
 * @category constants
 */
export const lean: Layout = {
  table: "events",
  create: (_, db) =>
    db.exec(`CREATE TABLE IF NOT EXISTS events (
  position INTEGER PRIMARY KEY,
  stream_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  UNIQUE (stream_id, version)
)`),
  columns: "position, stream_id, version, type, data",
  insert: "INSERT INTO events (stream_id, version, type, data) VALUES (?, ?, ?, ?)",
  row: (streamId, version, payload) => [streamId, version, payload.type, payload.data]
}

/**
 * The page size of reads (the store's default page size).
 *
 * @since 0.1.0
 * @category constants
 */
export const pageSize = 1000

/**
 * A stored row as the reads select it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Row {
  readonly position: number
  readonly stream_id: string
  readonly version: number
  readonly type: string
  readonly data: string
}

/**
 * The bare store over one database file.
 *
 * @since 0.1.0
 * @category models
 */
export interface BareStore {
  readonly db: Database.Database
  readonly layout: Layout
  /** Appends events in one transaction if the stream is at `expectedVersion`; returns the new version. */
  readonly append: (streamId: string, events: ReadonlyArray<Payload.StoredPayload>, expectedVersion: number) => number
  /** One page of a stream, versions after `after`, oldest first. */
  readonly readStreamPage: (streamId: string, after: number) => ReadonlyArray<Row>
  /** One page in global order, positions after `after`. */
  readonly readAllPage: (after: number, limit: number) => ReadonlyArray<Row>
  /** The last position written (0 when empty). */
  readonly head: () => number
  readonly close: () => void
}

/**
 * Opens (and creates) a bare store with a layout: WAL on, as `@effect/sql-sqlite-node` does for the Chronicle store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const open = (filename: string, layout: Layout): BareStore => {
  const { columns, table } = layout
  const db = new Database(filename)
  db.pragma("journal_mode = WAL")
  db.pragma("synchronous = NORMAL")
  layout.create(filename, db)
  const begin = db.prepare("BEGIN IMMEDIATE")
  const commit = db.prepare("COMMIT")
  const rollback = db.prepare("ROLLBACK")
  const version = db
    .prepare<[string], number>(`SELECT COALESCE(MAX(version), 0) AS version FROM ${table} WHERE stream_id = ?`)
    .pluck()
  const insert = db.prepare(layout.insert)
  const head = db.prepare<[], number>(`SELECT COALESCE(MAX(position), 0) FROM ${table}`).pluck()
  const readStream = db.prepare<[string, number, number, number], Row>(
    `SELECT ${columns} FROM ${table} WHERE stream_id = ? AND version >= ? AND version <= ? ORDER BY version ASC LIMIT ?`
  )
  const readAll = db.prepare<[number, number], Row>(
    `SELECT ${columns} FROM ${table} WHERE position > ? ORDER BY position ASC LIMIT ?`
  )

  const append = (streamId: string, events: ReadonlyArray<Payload.StoredPayload>, expectedVersion: number) => {
    const recordedAt = Date.now()
    begin.run()
    try {
      const current = version.get(streamId) ?? 0
      if (current !== expectedVersion) {
        throw new Error(`wrong expected version on ${streamId}: expected ${expectedVersion}, actual ${current}`)
      }
      for (let i = 0; i < events.length; i++) {
        insert.run(layout.row(streamId, current + i + 1, events[i]!, recordedAt))
      }
      commit.run()
      return current + events.length
    } catch (error) {
      if (db.inTransaction) rollback.run()
      throw error
    }
  }

  return {
    db,
    layout,
    append,
    readStreamPage: (streamId, after) => readStream.all(streamId, after + 1, Number.MAX_SAFE_INTEGER, pageSize),
    readAllPage: (after, limit) => readAll.all(after, limit),
    head: () => head.get() ?? 0,
    close: () => db.close()
  }
}

/**
 * The journal mode and `synchronous` level of a connection, to show both stores run with the same durability.
 *
 * @since 0.1.0
 * @category models
 */
export interface Pragmas {
  readonly journalMode: string
  readonly synchronous: number
}

/**
 * Reads the journal mode and `synchronous` level of a connection.
 *
 * @since 0.1.0
 * @category constructors
 */
export const pragmas = (db: Database.Database): Pragmas => ({
  journalMode: String(db.pragma("journal_mode", { simple: true })),
  synchronous: Number(db.pragma("synchronous", { simple: true }))
})
