/**
 * The SQLite storage engine: the `StorageEngine` contract over one `@effect/sql` client, with every append in one
 * `BEGIN IMMEDIATE` transaction and live readers woken in-process at once and across processes by polling.
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
import type { Connection } from "@effect/sql/SqlConnection"
import type { SqlError } from "@effect/sql/SqlError"
import { Duration, Effect, Either, Schedule } from "effect"
import type { Runner } from "./internal/connection.js"
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
  rows: ReadonlyArray<EventRow>
): Effect.Effect<ReadonlyArray<RecordedEvent.RecordedEvent>, EventStoreError.EventDecodeError> => {
  const out: Array<RecordedEvent.RecordedEvent> = new Array(rows.length)
  for (let i = 0; i < rows.length; i++) {
    const decoded = decodeRow(rows[i]!)
    if (decoded instanceof EventStoreError.EventDecodeError) return Effect.fail(decoded)
    out[i] = decoded
  }
  return Effect.succeed(out)
}

type AppendEffect = Effect.Effect<
  StorageEngine.AppendResult,
  EventStoreError.WrongExpectedVersion | EventStoreError.DuplicateEventId | SqlError
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
  readonly runner: Runner
  readonly statements: Statements
  readonly pollInterval: Duration.DurationInput
}

/**
 * Builds the engine over a migrated table. The table must only ever be appended to: positions are SQLite row ids,
 * which stay increasing as long as no row is deleted.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: EngineOptions): StorageEngine.StorageEngine => {
  const { runner, statements: sql } = options
  const pollInterval = Duration.decode(options.pollInterval)
  const waiters = new Set<() => void>()

  const wake = () => {
    if (waiters.size === 0) return
    const woken = [...waiters]
    waiters.clear()
    for (const resume of woken) resume()
  }

  const insert = (conn: Connection, request: StorageEngine.AppendRequest, current: number) =>
    Effect.suspend(() => {
      const { events, recordedAt, streamId } = request
      const positions: Array<number> = new Array(events.length)
      const chunks: Array<Effect.Effect<void, SqlError>> = []
      for (let start = 0; start < events.length; start += maxRowsPerInsert) {
        const end = Math.min(events.length, start + maxRowsPerInsert)
        const params: Array<unknown> = []
        for (let i = start; i < end; i++) {
          const event = events[i]!
          params.push(streamId, current + i + 1, event.id, event.type, event.dataJson, event.metadataJson, recordedAt)
        }
        chunks.push(
          Effect.map(conn.execute(sql.insert(end - start), params, undefined), (rows) => {
            for (const row of rows as ReadonlyArray<{ readonly version: number; readonly position: number }>) {
              positions[row.version - current - 1] = row.position
            }
          })
        )
      }
      return Effect.as(chunks.length === 1 ? chunks[0]! : Effect.all(chunks, { discard: true }), {
        version: current + events.length,
        positions
      })
    })

  const checkAndInsert = (conn: Connection, request: StorageEngine.AppendRequest) =>
    Effect.flatMap(
      conn.execute(sql.streamVersion, [request.streamId], undefined),
      (rows): Effect.Effect<StorageEngine.AppendResult, EventStoreError.WrongExpectedVersion | SqlError> => {
        const current = (rows[0] as { readonly version: number } | undefined)?.version ?? 0
        if (!ExpectedVersion.matches(request.expectedVersion, current)) {
          return Effect.fail(
            new EventStoreError.WrongExpectedVersion({
              streamId: request.streamId,
              expected: ExpectedVersion.format(request.expectedVersion),
              actual: current
            })
          )
        }
        if (request.events.length === 0) return Effect.succeed({ version: current, positions: [] })
        return insert(conn, request, current)
      }
    )

  const appendIn =
    (request: StorageEngine.AppendRequest) =>
    (conn: Connection): AppendEffect => {
      const { events, streamId } = request
      if (events.length === 0 || !Idempotency.hasProvidedIds(events)) return checkAndInsert(conn, request)
      const ids = JSON.stringify(events.map((event) => event.id))
      return Effect.flatMap(conn.execute(sql.storedIds, [streamId, ids], undefined), (rows): AppendEffect => {
        if (rows.length === 0) return checkAndInsert(conn, request)
        const stored = (rows as ReadonlyArray<StoredIdRow>).map((row) => ({
          id: row.event_id,
          version: row.version,
          position: row.position,
          type: row.type,
          data: parse(row.data)
        }))
        const outcome = Idempotency.resolve(streamId, events, stored)
        if (Either.isLeft(outcome)) return Effect.fail(outcome.left)
        if (outcome.right._tag === "Repeat") {
          return Effect.succeed({ version: outcome.right.version, positions: outcome.right.positions })
        }
        return checkAndInsert(conn, request)
      })
    }

  const append = (request: StorageEngine.AppendRequest) =>
    runner.transaction(appendIn(request)).pipe(
      Effect.tap((result) => {
        if (result.positions.length > 0) wake()
      }),
      Effect.catchTag("SqlError", storeError("append"))
    )

  const query = <A>(method: string, text: string, params: ReadonlyArray<unknown>) =>
    runner
      .withConnection((conn) => conn.execute(text, params, undefined))
      .pipe(
        Effect.map((rows) => rows as ReadonlyArray<A>),
        Effect.catchTag("SqlError", storeError(method))
      )

  const readStream = (streamId: StreamId.StreamId, range: StorageEngine.StreamRange) =>
    Effect.flatMap(
      query<EventRow>("readStream", range.direction === "forward" ? sql.readForward : sql.readBackward, [
        streamId,
        range.from,
        range.to,
        range.limit
      ]),
      decodeRows
    )

  const readAll = (after: number, limit: number) =>
    Effect.flatMap(query<EventRow>("readAll", sql.readAll, [after, limit]), decodeRows)

  const streamVersion = (streamId: StreamId.StreamId) =>
    Effect.map(
      query<{ readonly version: number }>("streamVersion", sql.streamVersion, [streamId]),
      (rows) => rows[0]?.version ?? 0
    )

  const headPosition = Effect.map(
    query<{ readonly position: number }>("headPosition", sql.headPosition, []),
    (rows) => rows[0]?.position ?? 0
  )

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
