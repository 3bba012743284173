/**
 * The physical limit: the SQLite store's schema and statements on bare better-sqlite3, with none of Chronicle around
 * them. Prepared statements, one `BEGIN IMMEDIATE` transaction per append with the same expected-version check
 * (select the current version, then insert), WAL, and `synchronous = NORMAL`, as the store sets by default.
 *
 * @since 0.1.0
 */
import Database from "better-sqlite3"
import type * as Payload from "./Payload.js"

/**
 * The events table, as the SQLite store's first migration creates it (same name, columns and constraints).
 *
 * @since 0.1.0
 * @category constants
 */
export const createTable = `CREATE TABLE IF NOT EXISTS "chronicle_events" (
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
)`

/**
 * The statement that inserts one event (the store's columns, in its order).
 *
 * @since 0.1.0
 * @category constants
 */
export const insertSql = `INSERT INTO "chronicle_events" (stream_id, version, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)`

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
  readonly event_id: string
  readonly type: string
  readonly data: string
  readonly metadata: string
  readonly recorded_at: number
}

/**
 * The bare store over one database file.
 *
 * @since 0.1.0
 * @category models
 */
export interface BareStore {
  readonly db: Database.Database
  /** Appends events in one transaction if the stream is at `expectedVersion`; returns the new version. */
  readonly append: (streamId: string, events: ReadonlyArray<Payload.StoredPayload>, expectedVersion: number) => number
  /** One page of a stream, versions after `after`, oldest first. */
  readonly readStreamPage: (streamId: string, after: number) => ReadonlyArray<Row>
  /** One page in global order, positions after `after`. */
  readonly readAllPage: (after: number, limit: number) => ReadonlyArray<Row>
  readonly close: () => void
}

const columns = "position, stream_id, version, event_id, type, data, metadata, recorded_at"

/**
 * Opens (and creates) a bare store: WAL on, as `@effect/sql-sqlite-node` does for the Chronicle store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const open = (filename: string): BareStore => {
  const db = new Database(filename)
  db.pragma("journal_mode = WAL")
  db.pragma("synchronous = NORMAL")
  db.exec(createTable)
  const begin = db.prepare("BEGIN IMMEDIATE")
  const commit = db.prepare("COMMIT")
  const rollback = db.prepare("ROLLBACK")
  const version = db
    .prepare<[string], number>(
      `SELECT COALESCE(MAX(version), 0) AS version FROM "chronicle_events" WHERE stream_id = ?`
    )
    .pluck()
  const insert = db.prepare(insertSql)
  const readStream = db.prepare<[string, number, number, number], Row>(
    `SELECT ${columns} FROM "chronicle_events" WHERE stream_id = ? AND version >= ? AND version <= ? ORDER BY version ASC LIMIT ?`
  )
  const readAll = db.prepare<[number, number], Row>(
    `SELECT ${columns} FROM "chronicle_events" WHERE position > ? ORDER BY position ASC LIMIT ?`
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
        const event = events[i]!
        insert.run(streamId, current + i + 1, crypto.randomUUID(), event.type, event.data, "{}", recordedAt)
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
    append,
    readStreamPage: (streamId, after) => readStream.all(streamId, after + 1, Number.MAX_SAFE_INTEGER, pageSize),
    readAllPage: (after, limit) => readAll.all(after, limit),
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
