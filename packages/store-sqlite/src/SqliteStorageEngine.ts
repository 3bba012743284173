/**
 * The SQLite storage engine: the `StorageEngine` contract over one `@effect/sql` client, with every append in a
 * `BEGIN IMMEDIATE` transaction (shared with concurrent appends on a database the store owns) and live readers woken
 * in-process after each commit and across processes by polling.
 *
 * @since 0.1.0
 */
import {
  EventStoreError,
  ExpectedVersion,
  Idempotency,
  type RecordedEvent,
  type StorageEngine,
  type StreamId
} from "@chronicle/core"
import type { SqlError } from "@effect/sql/SqlError"
import { Duration, Effect, Either, Schedule } from "effect"
import type { Access, SyncSql } from "./internal/access.js"
import { maxRowsPerInsert, type Statements } from "./SqliteEventStoreSchema.js"

interface EventRow {
  readonly position: number
  readonly stream_id: string
  readonly version: number
  readonly event_id: string
  readonly type: string
  readonly data: string
  readonly metadata: string
  readonly recorded_at: number
}

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

const decodeRow = (row: EventRow): RecordedEvent.RecordedEvent | EventStoreError.EventDecodeError => {
  const fail = (reason: string) =>
    new EventStoreError.EventDecodeError({
      streamId: row.stream_id,
      version: row.version,
      position: row.position,
      type: row.type,
      reason
    })
  const data = parse(row.data)
  if (data === unparseable) return fail("the stored data is not valid JSON")
  const metadata = row.metadata === "{}" ? emptyMetadata : parse(row.metadata)
  if (metadata === unparseable || typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) {
    return fail("the stored metadata is not a JSON object")
  }
  return {
    id: row.event_id,
    streamId: row.stream_id as StreamId.StreamId,
    version: row.version,
    position: row.position,
    type: row.type,
    data,
    metadata: metadata as RecordedEvent.EventMetadata,
    recordedAt: new Date(row.recorded_at)
  }
}

const decodeRows = (
  rows: ReadonlyArray<unknown>
): Either.Either<ReadonlyArray<RecordedEvent.RecordedEvent>, EventStoreError.EventDecodeError> => {
  const out: Array<RecordedEvent.RecordedEvent> = new Array(rows.length)
  for (let i = 0; i < rows.length; i++) {
    const decoded = decodeRow(rows[i] as EventRow)
    if (decoded instanceof EventStoreError.EventDecodeError) return Either.left(decoded)
    out[i] = decoded
  }
  return Either.right(out)
}

type AppendOutcome = Either.Either<
  StorageEngine.AppendResult,
  EventStoreError.WrongExpectedVersion | EventStoreError.DuplicateEventId
>

const storeError =
  (method: string) =>
  (error: SqlError): Effect.Effect<never, EventStoreError.EventStoreError> =>
    Effect.fail(new EventStoreError.EventStoreError({ method, cause: error.cause ?? error }))

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
  const waiters = new Set<() => void>()

  access.onCommit(() => {
    if (waiters.size === 0) return
    const woken = [...waiters]
    waiters.clear()
    for (const resume of woken) resume()
  })

  const insert = (db: SyncSql, request: StorageEngine.AppendRequest, current: number): AppendOutcome => {
    const { events, recordedAt, streamId } = request
    const positions: Array<number> = new Array(events.length)
    for (let start = 0; start < events.length; start += maxRowsPerInsert) {
      const end = Math.min(events.length, start + maxRowsPerInsert)
      const params: Array<unknown> = []
      for (let i = start; i < end; i++) {
        const event = events[i]!
        params.push(streamId, current + i + 1, event.id, event.type, event.dataJson, event.metadataJson, recordedAt)
      }
      if (end - start === 1) {
        positions[start] = db.insert(sql.insert(1), params)
        continue
      }
      const rows = db.all(sql.insert(end - start), params) as ReadonlyArray<{
        readonly version: number
        readonly position: number
      }>
      for (const row of rows) positions[row.version - current - 1] = row.position
    }
    return Either.right({ version: current + events.length, positions })
  }

  const checkAndInsert = (db: SyncSql, request: StorageEngine.AppendRequest): AppendOutcome => {
    const current = (db.all(sql.streamVersion, [request.streamId])[0] as { readonly version: number }).version
    if (!ExpectedVersion.matches(request.expectedVersion, current)) {
      return Either.left(
        new EventStoreError.WrongExpectedVersion({
          streamId: request.streamId,
          expected: ExpectedVersion.format(request.expectedVersion),
          actual: current
        })
      )
    }
    if (request.events.length === 0) return Either.right({ version: current, positions: [] })
    return insert(db, request, current)
  }

  const appendBody =
    (request: StorageEngine.AppendRequest) =>
    (db: SyncSql): AppendOutcome => {
      const { events, streamId } = request
      if (events.length > 0 && Idempotency.hasProvidedIds(events)) {
        const ids = JSON.stringify(events.map((event) => event.id))
        const rows = db.all(sql.storedIds, [streamId, ids]) as ReadonlyArray<StoredIdRow>
        if (rows.length > 0) {
          const stored = rows.map((row) => ({
            id: row.event_id,
            version: row.version,
            position: row.position,
            type: row.type,
            data: parse(row.data)
          }))
          const outcome = Idempotency.resolve(streamId, events, stored)
          if (Either.isLeft(outcome)) return Either.left(outcome.left)
          if (outcome.right._tag === "Repeat") {
            return Either.right({ version: outcome.right.version, positions: outcome.right.positions })
          }
        }
      }
      return checkAndInsert(db, request)
    }

  const appendFailed = storeError("append")
  const append = (request: StorageEngine.AppendRequest) =>
    Effect.catchTag(access.write(appendBody(request)), "SqlError", appendFailed)

  const readStream = (streamId: StreamId.StreamId, range: StorageEngine.StreamRange) =>
    access
      .read((db) =>
        decodeRows(
          db.all(range.direction === "forward" ? sql.readForward : sql.readBackward, [
            streamId,
            range.from,
            range.to,
            range.limit
          ])
        )
      )
      .pipe(Effect.catchTag("SqlError", storeError("readStream")))

  const readAll = (after: number, limit: number) =>
    access
      .read((db) => decodeRows(db.all(sql.readAll, [after, limit])))
      .pipe(Effect.catchTag("SqlError", storeError("readAll")))

  const streamVersion = (streamId: StreamId.StreamId) =>
    access
      .read((db) => Either.right((db.all(sql.streamVersion, [streamId])[0] as { readonly version: number }).version))
      .pipe(Effect.catchTag("SqlError", storeError("streamVersion")))

  const headPosition = access
    .read((db) => Either.right((db.all(sql.headPosition, [])[0] as { readonly position: number }).position))
    .pipe(Effect.catchTag("SqlError", storeError("headPosition")))

  const awaitAppend = (after: number) => {
    const local = Effect.async<void>((resume) => {
      const waiter = () => resume(Effect.void)
      waiters.add(waiter)
      return Effect.sync(() => {
        waiters.delete(waiter)
      })
    })
    const poll = headPosition.pipe(
      Effect.repeat({ schedule: Schedule.spaced(pollInterval), until: (head) => head > after }),
      Effect.asVoid
    )
    return Effect.raceFirst(local, poll)
  }

  return { append, readStream, readAll, streamVersion, headPosition, awaitAppend }
}
