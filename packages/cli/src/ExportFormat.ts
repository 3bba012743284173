/**
 * The export format: NDJSON, one event per line, its fields always in this order —
 *
 * ```json
 * {"id":"…","streamId":"…","version":1,"type":"…","data":{…},"metadata":{…},"recordedAt":"2026-11-30T08:00:00.000Z"}
 * ```
 *
 * with `"tags":["…"]` before `recordedAt` when the event has tags (a file of untagged events is as it always was).
 *
 * — in the global order of the store that wrote it. Everything an event is made of survives a round trip: id, stream
 * id, version, type, data, metadata (JSON, as the store keeps them), tags and `recordedAt` (milliseconds, ISO 8601 in UTC).
 * The position is not written: it is where an event sits in one store, and the importing store gives it its own. A
 * file exported, imported elsewhere and exported again is the same, byte for byte.
 *
 * `exportEvents` and `importLines` are what `chronicle export` and `chronicle import` run: pages of the global order
 * written as they are read, and lines imported 1,000 at a time (each chunk one `StoreAdmin.importEvents`
 * transaction), both in bounded memory.
 *
 * @since 0.1.0
 */
import { EventStore, Position, type RecordedEvent, type StorageError, StoreAdmin } from "@chronicle/core"
import { Chunk, Effect, Either, Schema, Stream } from "effect"

/**
 * A line that is not an exported event: its number (from 1) and what is wrong with it.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidLine extends Schema.TaggedError<InvalidLine>("@chronicle/cli/InvalidLine")("InvalidLine", {
  line: Schema.Number,
  reason: Schema.String
}) {
  override get message(): string {
    return `line ${this.line} is not an exported event: ${this.reason}`
  }
}

/**
 * One event as a line (without the line break).
 *
 * @since 0.1.0
 * @category encoding
 */
export const encode = (event: RecordedEvent.RecordedEvent): string =>
  `{"id":${JSON.stringify(event.id)},"streamId":${JSON.stringify(event.streamId)},"version":${event.version},` +
  `"type":${JSON.stringify(event.type)},"data":${JSON.stringify(event.data)},` +
  `"metadata":${JSON.stringify(event.metadata)},${event.tags.length === 0 ? "" : `"tags":${JSON.stringify(event.tags)},`}` +
  `"recordedAt":"${event.recordedAt.toISOString()}"}`

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/**
 * Reads one line back into an event to import. Fields other than the format's are ignored; the store checks the rest
 * (a UUID id, a valid stream id, ...) as it imports.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decode = (text: string, line: number): Either.Either<StoreAdmin.ImportEvent, InvalidLine> => {
  const fail = (reason: string) => Either.left(new InvalidLine({ line, reason }))
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return fail("not JSON")
  }
  if (!isObject(value)) return fail("not a JSON object")
  for (const field of ["id", "streamId", "type", "recordedAt"] as const) {
    if (typeof value[field] !== "string") return fail(`"${field}" must be a string`)
  }
  if (typeof value.version !== "number") return fail('"version" must be a number')
  if (!("data" in value)) return fail('"data" is missing')
  if (value.metadata !== undefined && !isObject(value.metadata)) return fail('"metadata" must be a JSON object')
  const tags = value.tags
  if (tags !== undefined && !(Array.isArray(tags) && tags.every((tag) => typeof tag === "string"))) {
    return fail('"tags" must be an array of strings')
  }
  const recordedAt = new Date(value.recordedAt as string)
  if (Number.isNaN(recordedAt.getTime())) return fail(`"recordedAt" is not a date: ${JSON.stringify(value.recordedAt)}`)
  return Either.right({
    id: value.id as string,
    streamId: value.streamId as string,
    version: value.version,
    type: value.type as string,
    data: value.data,
    metadata: (value.metadata ?? {}) as RecordedEvent.EventMetadata,
    ...(tags === undefined ? {} : { tags: tags as ReadonlyArray<string> }),
    recordedAt
  })
}

/**
 * How many events a page of an export, or a chunk of an import, holds.
 *
 * @since 0.1.0
 * @category constants
 */
export const chunkSize = 1_000

/**
 * Writes every event after `after` (default: all), in the global order, as lines: `write` gets the text of each page
 * (whole lines) as it is read, `onProgress` the number of events written so far. Every event committed when the
 * export began is written (`StoreAdmin.lastCommitted`): where `readAll` does not show one yet (PostgreSQL, while a
 * transaction that began before it is still open), the export waits for it, calling `onWaiting` first. Returns how many
 * it wrote.
 *
 * @since 0.1.0
 * @category exporting
 */
export const exportEvents = <E>(options: {
  readonly after?: Position.Position | undefined
  readonly write: (text: string) => Effect.Effect<void, E>
  readonly onProgress?: ((exported: number) => Effect.Effect<void>) | undefined
  readonly onWaiting?: ((lastCommitted: Position.Position) => Effect.Effect<void>) | undefined
}): Effect.Effect<
  number,
  E | EventStore.ReadError | StorageError.StorageError,
  EventStore.EventStore | StoreAdmin.StoreAdmin
> =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    // Every event committed before the export began is in it, even one that `readAll` does not show yet (on
    // PostgreSQL, while a transaction that began before it is still open).
    const lastCommitted = yield* StoreAdmin.lastCommitted
    let exported = 0
    let last = options.after ?? Position.start
    const writeChunk = (chunk: Chunk.Chunk<RecordedEvent.RecordedEvent>) => {
      let text = ""
      for (const event of Chunk.toReadonlyArray(chunk)) text += `${encode(event)}\n`
      exported += Chunk.size(chunk)
      if (Chunk.isNonEmpty(chunk)) last = Chunk.lastNonEmpty(chunk).position
      const written = options.write(text)
      return options.onProgress === undefined ? written : Effect.zipRight(written, options.onProgress(exported))
    }
    yield* Stream.runForEachChunk(store.readAll({ after: last, pageSize: chunkSize }), writeChunk)
    if (Position.isAfter(lastCommitted, last)) {
      if (options.onWaiting !== undefined) yield* options.onWaiting(lastCommitted)
      yield* Stream.runForEachChunk(
        store
          .subscribe({ after: last, pageSize: chunkSize })
          .pipe(Stream.takeUntil((event) => !Position.isBefore(event.position, lastCommitted))),
        writeChunk
      )
    }
    return exported
  })

/**
 * What an import did: lines with events read, events written, events skipped as stored already.
 *
 * @since 0.1.0
 * @category models
 */
export interface ImportSummary {
  readonly read: number
  readonly written: number
  readonly skipped: number
}

/**
 * An import stopped at a line: the store refused its event (a conflicting history, an invalid event) or the line is
 * not an event. The chunks before the line's are imported, whole (`imported` events); nothing of its own chunk is.
 *
 * @since 0.1.0
 * @category errors
 */
export class ImportStopped extends Schema.TaggedError<ImportStopped>("@chronicle/cli/ImportStopped")("ImportStopped", {
  line: Schema.Number,
  imported: Schema.Number,
  reason: Schema.String
}) {
  override get message(): string {
    return `line ${this.line}: ${this.reason}; stopped there: the ${this.imported.toLocaleString("en-US")} events before its chunk of ${chunkSize.toLocaleString("en-US")} lines are imported, nothing of that chunk is`
  }
}

/**
 * The lines of a byte stream (a file's, stdin's), in chunks as the bytes arrive: UTF-8 decoded, split at `\n` or
 * `\r\n`. `onBytes` hears how many bytes each piece had (for progress). Far cheaper than a line at a time.
 *
 * @since 0.1.0
 * @category importing
 */
export const linesOf = <E>(
  bytes: AsyncIterable<Uint8Array | string>,
  onError: (error: unknown) => E,
  onBytes?: (count: number) => void
): Stream.Stream<string, E> =>
  Stream.fromAsyncIterable(bytes, onError).pipe(
    Stream.map((piece) => {
      const data = typeof piece === "string" ? new TextEncoder().encode(piece) : piece
      onBytes?.(data.byteLength)
      return data
    }),
    Stream.decodeText(),
    Stream.splitLines
  )

/**
 * Imports lines of the format, `chunkSize` at a time, each chunk in one `StoreAdmin.importEvents` call (one
 * transaction); blank lines are passed over. `onProgress` gets the summary so far after each chunk.
 *
 * @since 0.1.0
 * @category importing
 */
export const importLines = <E>(
  lines: Stream.Stream<string, E>,
  options: { readonly onProgress?: ((summary: ImportSummary) => Effect.Effect<void>) | undefined } = {}
): Effect.Effect<ImportSummary, E | ImportStopped | StoreAdmin.ImportError, StoreAdmin.StoreAdmin> =>
  Effect.flatMap(StoreAdmin.StoreAdmin, (admin) => {
    let lineNumber = 0
    const summary = { read: 0, written: 0, skipped: 0 }
    const stopped = (line: number, reason: string) => new ImportStopped({ line, imported: summary.read, reason })
    const importChunk = (chunk: Chunk.Chunk<string>) =>
      Effect.suspend(() => {
        const events: Array<StoreAdmin.ImportEvent> = []
        const lineOf: Array<number> = []
        for (const text of chunk) {
          lineNumber++
          if (text.trim().length === 0) continue
          const decoded = decode(text, lineNumber)
          if (Either.isLeft(decoded)) return Effect.fail(stopped(lineNumber, decoded.left.reason))
          events.push(decoded.right)
          lineOf.push(lineNumber)
        }
        const lineOfEvent = (find: (event: StoreAdmin.ImportEvent) => boolean) =>
          lineOf[events.findIndex(find)] ?? lineNumber
        return admin.importEvents(events).pipe(
          Effect.mapError((error) => {
            switch (error._tag) {
              case "InvalidEvent":
                return stopped(lineOf[error.index] ?? lineNumber, error.message)
              case "ImportConflict":
                return stopped(
                  lineOfEvent((e) => e.streamId === error.streamId && e.version === error.version),
                  error.message
                )
              case "InvalidStreamId":
                return stopped(
                  lineOfEvent((e) => e.streamId === error.input),
                  error.message
                )
              default:
                return error
            }
          }),
          Effect.flatMap((result) => {
            summary.read += events.length
            summary.written += result.written
            summary.skipped += result.skipped
            return options.onProgress === undefined ? Effect.void : options.onProgress({ ...summary })
          })
        )
      })
    return lines.pipe(
      Stream.grouped(chunkSize),
      Stream.runForEach(importChunk),
      Effect.map(() => ({ ...summary }))
    )
  })
