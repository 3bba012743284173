/**
 * The physical limit on PostgreSQL: the PostgreSQL store's table (same columns, types, keys and unique indexes) on
 * bare node-postgres, with none of Chronicle around it. A pool of the store's default size; each append one statement
 * of its own (read the stream's version, check it, insert the batch from arrays), as the store's appends are; reads by
 * the same keyset queries, in pages of the same size, below the same horizon.
 *
 * @since 0.1.0
 */
import pg from "pg"
import type * as Payload from "./Payload.js"

/**
 * The events table, as the PostgreSQL store's first migration creates it.
 *
 * @since 0.1.0
 * @category constants
 */
export const createTable = `CREATE TABLE IF NOT EXISTS "chronicle_events" (
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

const append = `WITH current AS (SELECT COALESCE(MAX(version), 0) AS version FROM "chronicle_events" WHERE stream_id = $1)
INSERT INTO "chronicle_events" (stream_id, version, event_id, type, data, metadata, recorded_at)
SELECT $1, current.version + e.n, e.event_id, e.type, e.data, e.metadata, e.recorded_at
FROM current, unnest($3::uuid[], $4::text[], $5::json[], $6::json[], $7::bigint[])
  WITH ORDINALITY AS e(event_id, type, data, metadata, recorded_at, n)
WHERE current.version = $2 ORDER BY e.n RETURNING version`

const columns =
  "version, event_id, type, data::text AS data, metadata::text AS metadata, recorded_at, transaction_id, seq"

const readAll = `SELECT ${columns}, stream_id FROM "chronicle_events"
WHERE (transaction_id, seq) > ($1::xid8, $2::bigint) AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
ORDER BY transaction_id, seq LIMIT $3`

const readStream = `SELECT ${columns} FROM "chronicle_events"
WHERE stream_id = $1 AND version >= $2 AND version <= $3 ORDER BY version ASC LIMIT $4`

/**
 * The page size of reads (the store's default page size).
 *
 * @since 0.1.0
 * @category constants
 */
export const pageSize = 1000

/**
 * The pool size (the store's default).
 *
 * @since 0.1.0
 * @category constants
 */
export const poolSize = 10

/**
 * A stored row as the reads select it (rows as arrays, as the store reads them).
 *
 * @since 0.1.0
 * @category models
 */
export type Row = readonly [
  version: string,
  eventId: string,
  type: string,
  data: string,
  metadata: string,
  recordedAt: string,
  transactionId: string,
  seq: string,
  streamId?: string
]

/**
 * The bare store on one database.
 *
 * @since 0.1.0
 * @category models
 */
export interface BarePgStore {
  readonly pool: pg.Pool
  /** Appends events in one statement if the stream is at `expectedVersion`; returns the new version. */
  readonly append: (
    streamId: string,
    events: ReadonlyArray<Payload.StoredPayload>,
    expectedVersion: number
  ) => Promise<number>
  /** One page of a stream, versions after `after`, oldest first. */
  readonly readStreamPage: (streamId: string, after: number) => Promise<ReadonlyArray<Row>>
  /** One page in global order after the position `[transaction id, seq]`. */
  readonly readAllPage: (after: readonly [string, string], limit: number) => Promise<ReadonlyArray<Row>>
  readonly close: () => Promise<void>
}

/**
 * Opens a pool on the database and creates the table.
 *
 * @since 0.1.0
 * @category constructors
 */
export const open = async (url: string): Promise<BarePgStore> => {
  const pool = new pg.Pool({ connectionString: url, max: poolSize })
  pool.on("error", () => {})
  await pool.query(createTable)
  const rows = async (text: string, values: Array<unknown>): Promise<ReadonlyArray<Row>> =>
    (await pool.query<Row>({ text, values, rowMode: "array" } as pg.QueryArrayConfig)).rows
  return {
    pool,
    append: async (streamId, events, expectedVersion) => {
      const recordedAt = Date.now()
      const inserted = await rows(append, [
        streamId,
        expectedVersion,
        events.map(() => crypto.randomUUID()),
        events.map((event) => event.type),
        events.map((event) => event.data),
        events.map(() => "{}"),
        events.map(() => recordedAt)
      ])
      if (inserted.length !== events.length) {
        throw new Error(`wrong expected version on ${streamId}: expected ${expectedVersion}`)
      }
      return expectedVersion + events.length
    },
    readStreamPage: (streamId, after) => rows(readStream, [streamId, after + 1, Number.MAX_SAFE_INTEGER, pageSize]),
    readAllPage: (after, limit) => rows(readAll, [after[0], after[1], limit]),
    close: () => pool.end()
  }
}
