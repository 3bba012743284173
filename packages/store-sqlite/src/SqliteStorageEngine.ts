/**
 * The SQLite storage engine: the `StorageEngine` contract over one `@effect/sql` client, with every append in one
 * `BEGIN IMMEDIATE` transaction and live readers woken in-process at once and across processes by polling.
 *
 * @since 0.1.0
 */
import { EventStoreError, type Position, type RecordedEvent, StorageError, type StreamId } from "@chronicle/core"
import { AppendRule, Notifier, PositionEncoding, type StorageEngine } from "@chronicle/core/engine"
import type { SqlError } from "@effect/sql/SqlError"
import { Duration, Effect, Either, Schedule } from "effect"
import type { Access, SyncSql } from "./internal/access.js"
import { maxRowsPerInsert, type Statements } from "./SqliteEventStoreSchema.js"

/** A row of a read, as an array in the order of `readColumns`; `readAll` adds the stream id at the end. */
type EventRow = readonly [
  position: number,
  version: number,
  eventId: string,
  type: string,
  data: string,
  metadata: string,
  recordedAt: number,
  streamId?: string
]

interface StoredIdRow {
  readonly event_id: string
  readonly version: number
  readonly position: number
  readonly type: string
  readonly data: string
}

const emptyMetadata: RecordedEvent.EventMetadata = Object.freeze({})

const unparseable = Symbol("unparseable")

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return unparseable
  }
}

const decodeFailure = (row: EventRow, streamId: string, reason: string) =>
  new EventStoreError.EventDecodeError({
    streamId,
    version: row[1],
    position: PositionEncoding.fromCounter(row[0]),
    type: row[3],
    reason
  })

/** Builds the envelopes of a page of rows; `streamId` is the stream read, or undefined for `readAll`. */
const decodeRows = (
  rows: ReadonlyArray<ReadonlyArray<unknown>>,
  streamId: StreamId.StreamId | undefined
): Either.Either<ReadonlyArray<RecordedEvent.RecordedEvent>, EventStoreError.EventDecodeError> => {
  const out: Array<RecordedEvent.RecordedEvent> = new Array(rows.length)
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as EventRow
    const stream = streamId ?? (row[7] as StreamId.StreamId)
    const data = parse(row[4])
    if (data === unparseable) return Either.left(decodeFailure(row, stream, "the stored data is not valid JSON"))
    const metadata = row[5] === "{}" ? emptyMetadata : parse(row[5])
    if (metadata === unparseable || typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) {
      return Either.left(decodeFailure(row, stream, "the stored metadata is not a JSON object"))
    }
    out[i] = {
      id: row[2],
      streamId: stream,
      version: row[1],
      position: PositionEncoding.fromCounter(row[0]),
      type: row[3],
      data,
      metadata: metadata as RecordedEvent.EventMetadata,
      recordedAt: new Date(row[6])
    }
  }
  return Either.right(out)
}

type AppendOutcome = Either.Either<
  { readonly version: number; readonly positions: ReadonlyArray<Position.Position> },
  EventStoreError.WrongExpectedVersion | EventStoreError.DuplicateEventId
>

const storeError =
  (method: string) =>
  (error: SqlError): Effect.Effect<never, StorageError.StorageError> =>
    Effect.fail(new StorageError.StorageError({ operation: `EventStore.${method}`, cause: error.cause ?? error }))

/**
 * Options of the engine.
 *
 * @since 0.1.0
 * @category models
 */
export interface EngineOptions {
  readonly access: Access
  readonly statements: Statements
  readonly pollInterval: Duration.DurationInput
}

/**
 * Builds the engine over a migrated table. The table must only ever be appended to: positions are SQLite row ids,
 * which keep increasing as long as no row is deleted.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: EngineOptions): StorageEngine.StorageEngine => {
  const { access, statements: sql } = options
  const pollInterval = Duration.decode(options.pollInterval)
  const notifier = Notifier.make()
  access.onCommit(notifier.notify)

  const insert = (db: SyncSql, request: StorageEngine.AppendRequest, current: number): AppendOutcome => {
    const { events, recordedAt, streamId } = request
    const positions: Array<Position.Position> = new Array(events.length)
    if (db.prepared) {
      // One parameter array for the batch, rebound for each row (the statement runs synchronously).
      const params: Array<unknown> = [streamId, 0, "", "", "", "", recordedAt]
      for (let i = 0; i < events.length; i++) {
        const event = events[i]!
        params[1] = current + i + 1
        params[2] = event.id
        params[3] = event.type
        params[4] = event.dataJson
        params[5] = event.metadataJson
        positions[i] = PositionEncoding.fromCounter(db.insert(sql.insert, params))
      }
      return Either.right({ version: current + events.length, positions })
    }
    for (let start = 0; start < events.length; start += maxRowsPerInsert) {
      const end = Math.min(events.length, start + maxRowsPerInsert)
      const params: Array<unknown> = []
      for (let i = start; i < end; i++) {
        const event = events[i]!
        params.push(streamId, current + i + 1, event.id, event.type, event.dataJson, event.metadataJson, recordedAt)
      }
      const rows = db.all(sql.insertRows(end - start), params) as ReadonlyArray<{
        readonly version: number
        readonly position: number
      }>
      for (const row of rows) positions[row.version - current - 1] = PositionEncoding.fromCounter(row.position)
    }
    return Either.right({ version: current + events.length, positions })
  }

  /** The stream's stored events carrying the batch's ids, for the append rule (only for caller-chosen ids). */
  const storedIds = (db: SyncSql, request: StorageEngine.AppendRequest): ReadonlyArray<AppendRule.StoredEvent> => {
    if (!AppendRule.needsStoredIds(request)) return []
    const ids = JSON.stringify(request.events.map((event) => event.id))
    const rows = db.all(sql.storedIds, [request.streamId, ids]) as ReadonlyArray<StoredIdRow>
    return rows.map((row) => ({
      id: row.event_id,
      version: row.version,
      position: PositionEncoding.fromCounter(row.position),
      type: row.type,
      data: parse(row.data)
    }))
  }

  const appendBody =
    (request: StorageEngine.AppendRequest) =>
    (db: SyncSql): AppendOutcome => {
      const version = db.value(sql.streamVersion, [request.streamId]) as number
      const decision = AppendRule.decide(request, { version, stored: storedIds(db, request) })
      switch (decision._tag) {
        case "Write":
          return insert(db, request, decision.version)
        case "Done":
          return Either.right(decision.result)
        case "Conflict":
        case "Duplicate":
          return Either.left(decision.error)
      }
    }

  const appendFailed = storeError("append")
  // A batch of at most one event writes with one INSERT, after its checks: it needs no savepoint in a group.
  const append = (request: StorageEngine.AppendRequest) =>
    Effect.catchTag(access.write(appendBody(request), request.events.length <= 1), "SqlError", appendFailed)

  const readStreamFailed = storeError("readStream")
  const readStream = (streamId: StreamId.StreamId, range: StorageEngine.StreamRange) =>
    Effect.catchTag(
      access.read((db) =>
        decodeRows(
          db.rows(range.direction === "forward" ? sql.readForward : sql.readBackward, [
            streamId,
            range.from,
            range.to,
            range.limit
          ]),
          streamId
        )
      ),
      "SqlError",
      readStreamFailed
    )

  const readAllFailed = storeError("readAll")
  const readAll = (after: Position.Position, limit: number) =>
    Effect.catchTag(
      access.read((db) => decodeRows(db.rows(sql.readAll, [PositionEncoding.toCounter(after), limit]), undefined)),
      "SqlError",
      readAllFailed
    )

  const streamVersion = (streamId: StreamId.StreamId) =>
    access
      .read((db) => Either.right(db.value(sql.streamVersion, [streamId]) as number))
      .pipe(Effect.catchTag("SqlError", storeError("streamVersion")))

  const headPosition = access
    .read((db) => Either.right(PositionEncoding.fromCounter(db.value(sql.headPosition, []) as number)))
    .pipe(Effect.catchTag("SqlError", storeError("headPosition")))

  const awaitAppend = (after: Position.Position) => {
    const poll = headPosition.pipe(
      Effect.repeat({
        schedule: Schedule.spaced(pollInterval),
        until: (head) => PositionEncoding.toCounter(head) > PositionEncoding.toCounter(after)
      }),
      Effect.asVoid
    )
    return Effect.raceFirst(notifier.wait(), poll)
  }

  return { append, readStream, readAll, streamVersion, headPosition, awaitAppend }
}
