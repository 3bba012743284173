/**
 * The rows the SQL engines read, and how they become events: one decoder for every SQL engine (the shared one over
 * `@effect/sql` and any faster one a store runs on its own connection), so an event reads the same whichever path
 * wrote or reads it. Rows are arrays of column values (cheaper than objects), in these layouts:
 *
 * - event rows: `version, event_id, type, data, metadata, recorded_at, tags` (null or a JSON array), then the dialect's position columns, then
 *   `stream_id` when the read spans streams (`readAll`; a stream read knows its stream);
 * - stored-id rows (the append rule's facts): `event_id, version, type, data`, then the position columns;
 * - insert rows (what an insert returns): `version`, then the position columns;
 * - stream rows (`StoreAdmin.listStreams`): `stream_id, version, recorded_at`, then the position columns of the
 *   stream's last event;
 * - totals (`StoreAdmin.stats`): `events, streams, first recorded_at, last recorded_at`; type rows `type, count`; a
 *   size row `bytes` (null when unknown); a count row `count`.
 *
 * Numbers may come back as numbers, bigints or numeric strings (drivers differ); `recorded_at` holds epoch
 * milliseconds.
 *
 * @since 0.1.0
 */
import { EventStoreError, Position, type RecordedEvent, type StoreAdmin, type StreamId } from "@chronicle/core"
import type { AppendRule } from "@chronicle/core/engine"
import { Either } from "effect"
import type { PositionColumns } from "./SqlDialect.js"

const emptyMetadata: RecordedEvent.EventMetadata = Object.freeze({})

const unparseable = Symbol("unparseable")

const parse = (text: unknown): unknown => {
  try {
    return JSON.parse(text as string)
  } catch {
    return unparseable
  }
}

const noTags: ReadonlyArray<string> = Object.freeze([])

/** Tags as stored: null for none, else a JSON array of strings (text, or parsed by the driver). */
const tagsOf = (value: unknown): ReadonlyArray<string> => {
  if (value === null || value === undefined) return noTags
  const tags = typeof value === "string" ? parse(value) : value
  return Array.isArray(tags) ? (tags as ReadonlyArray<string>) : noTags
}

const asNumber = (value: unknown): number => (typeof value === "number" ? value : Number(value))

/**
 * Builds the events of a page of event rows; `streamId` is the stream read, or undefined when the rows carry it
 * (`readAll`). A row whose data is not JSON, or whose metadata is not a JSON object, fails the page with
 * `EventDecodeError` naming it: events are never skipped.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decode = (
  rows: ReadonlyArray<ReadonlyArray<unknown>>,
  streamId: StreamId.StreamId | undefined,
  position: PositionColumns
): Either.Either<ReadonlyArray<RecordedEvent.RecordedEvent>, EventStoreError.EventDecodeError> => {
  const streamAt = 7 + position.width
  const out: Array<RecordedEvent.RecordedEvent> = new Array(rows.length)
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!
    const stream = streamId ?? (row[streamAt] as StreamId.StreamId)
    const data = parse(row[3])
    const metadata = row[4] === "{}" ? emptyMetadata : parse(row[4])
    const problem =
      data === unparseable
        ? "the stored data is not valid JSON"
        : metadata === unparseable || typeof metadata !== "object" || metadata === null || Array.isArray(metadata)
          ? "the stored metadata is not a JSON object"
          : undefined
    if (problem !== undefined) {
      return Either.left(
        new EventStoreError.EventDecodeError({
          streamId: stream,
          version: asNumber(row[0]),
          position: position.decode(row, 7),
          type: row[2] as string,
          reason: problem
        })
      )
    }
    out[i] = {
      id: row[1] as string,
      streamId: stream,
      version: asNumber(row[0]),
      position: position.decode(row, 7),
      type: row[2] as string,
      data,
      metadata: metadata as RecordedEvent.EventMetadata,
      tags: tagsOf(row[6]),
      recordedAt: new Date(asNumber(row[5]))
    }
  }
  return Either.right(out)
}

/**
 * The first event of a page of event rows with their stream ids, as much as an append condition's failure names
 * (its data is not parsed: a condition fails on an event whatever it holds), or `undefined` for no row.
 *
 * @since 0.1.0
 * @category decoding
 */
export const firstMatch = (
  rows: ReadonlyArray<ReadonlyArray<unknown>>,
  position: PositionColumns
): Pick<RecordedEvent.RecordedEvent, "position" | "id" | "type" | "streamId"> | undefined => {
  const row = rows[0]
  if (row === undefined) return undefined
  return {
    position: position.decode(row, 7),
    id: row[1] as string,
    type: row[2] as string,
    streamId: row[7 + position.width] as StreamId.StreamId
  }
}

/**
 * The append rule's stored events, from stored-id rows.
 *
 * @since 0.1.0
 * @category decoding
 */
export const storedEvents = (
  rows: ReadonlyArray<ReadonlyArray<unknown>>,
  position: PositionColumns
): ReadonlyArray<AppendRule.StoredEvent> =>
  rows.map((row) => ({
    id: row[0] as string,
    version: asNumber(row[1]),
    type: row[2] as string,
    data: parse(row[3]),
    position: position.decode(row, 4)
  }))

/**
 * The positions of a batch written at versions `current + 1 ...`, in batch order, from the insert rows of all its
 * statements (in any order).
 *
 * @since 0.1.0
 * @category decoding
 */
export const insertedPositions = (
  rows: ReadonlyArray<ReadonlyArray<unknown>>,
  current: number,
  position: PositionColumns
): ReadonlyArray<Position.Position> => {
  const positions: Array<Position.Position> = new Array(rows.length)
  for (const row of rows) positions[asNumber(row[0]) - current - 1] = position.decode(row, 1)
  return positions
}

/**
 * The result of a batch of `count` events that one statement wrote and returned the insert rows of (in any order):
 * the stream's version after it, and the positions in batch order.
 *
 * @since 0.1.0
 * @category decoding
 */
export const written = (
  rows: ReadonlyArray<ReadonlyArray<unknown>>,
  position: PositionColumns
): { readonly version: number; readonly positions: ReadonlyArray<Position.Position> } => {
  let first = Number.MAX_SAFE_INTEGER
  for (const row of rows) first = Math.min(first, asNumber(row[0]))
  const current = first - 1
  return { version: current + rows.length, positions: insertedPositions(rows, current, position) }
}

/**
 * A stream's version from the one-column row of `streamVersion` (0 when there is no row).
 *
 * @since 0.1.0
 * @category decoding
 */
export const version = (rows: ReadonlyArray<ReadonlyArray<unknown>>): number =>
  rows.length === 0 || rows[0]![0] === null ? 0 : asNumber(rows[0]![0])

/**
 * The head position from the row of `headPosition` (`Position.start` when there is none).
 *
 * @since 0.1.0
 * @category decoding
 */
export const head = (rows: ReadonlyArray<ReadonlyArray<unknown>>, position: PositionColumns): Position.Position =>
  rows.length === 0 ? Position.start : position.decode(rows[0]!, 0)

/**
 * The streams of stream rows.
 *
 * @since 0.1.0
 * @category decoding
 */
export const streams = (
  rows: ReadonlyArray<ReadonlyArray<unknown>>,
  position: PositionColumns
): ReadonlyArray<StoreAdmin.StreamInfo> =>
  rows.map((row) => ({
    streamId: row[0] as StreamId.StreamId,
    version: asNumber(row[1]),
    lastRecordedAt: new Date(asNumber(row[2])),
    position: position.decode(row, 3)
  }))

/**
 * The number in a one-row, one-column result (0 when there is no row or it is null).
 *
 * @since 0.1.0
 * @category decoding
 */
export const count = (rows: ReadonlyArray<ReadonlyArray<unknown>>): number =>
  rows.length === 0 || rows[0]![0] === null ? 0 : asNumber(rows[0]![0])

/**
 * The store's totals from the rows of `totals`, `eventTypes`, `size` and `headPosition`.
 *
 * @since 0.1.0
 * @category decoding
 */
export const stats = (
  results: {
    readonly totals: ReadonlyArray<ReadonlyArray<unknown>>
    readonly eventTypes: ReadonlyArray<ReadonlyArray<unknown>>
    readonly size: ReadonlyArray<ReadonlyArray<unknown>>
    readonly head: ReadonlyArray<ReadonlyArray<unknown>>
  },
  position: PositionColumns
): StoreAdmin.Stats => {
  const totals = results.totals[0] ?? [0, 0, null, null]
  const time = (value: unknown) => (value === null || value === undefined ? undefined : new Date(asNumber(value)))
  const bytes = results.size[0]?.[0]
  return {
    events: asNumber(totals[0] ?? 0),
    streams: asNumber(totals[1] ?? 0),
    head: head(results.head, position),
    firstRecordedAt: time(totals[2]),
    lastRecordedAt: time(totals[3]),
    eventTypes: results.eventTypes.map((row) => ({ type: row[0] as string, count: asNumber(row[1]) })),
    size: bytes === null || bytes === undefined ? { _tag: "Unknown" } : { _tag: "Known", bytes: asNumber(bytes) }
  }
}
