/**
 * The export format: NDJSON, one event per line, its fields always in this order —
 *
 * ```json
 * {"id":"…","streamId":"…","version":1,"type":"…","data":{…},"metadata":{…},"recordedAt":"2026-11-30T08:00:00.000Z"}
 * ```
 *
 * — in the global order of the store that wrote it. Everything an event is made of survives a round trip: id, stream
 * id, version, type, data, metadata (JSON, as the store keeps them) and `recordedAt` (milliseconds, ISO 8601 in UTC).
 * The position is not written: it is where an event sits in one store, and the importing store gives it its own. A
 * file exported, imported elsewhere and exported again is the same, byte for byte.
 *
 * @since 0.1.0
 */
import type { RecordedEvent, StoreAdmin } from "@chronicle/core"
import { Either, Schema } from "effect"

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
  `"metadata":${JSON.stringify(event.metadata)},"recordedAt":"${event.recordedAt.toISOString()}"}`

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
  const recordedAt = new Date(value.recordedAt as string)
  if (Number.isNaN(recordedAt.getTime())) return fail(`"recordedAt" is not a date: ${JSON.stringify(value.recordedAt)}`)
  return Either.right({
    id: value.id as string,
    streamId: value.streamId as string,
    version: value.version,
    type: value.type as string,
    data: value.data,
    metadata: (value.metadata ?? {}) as RecordedEvent.EventMetadata,
    recordedAt
  })
}
