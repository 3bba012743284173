/**
 * The API's errors, each an RFC 9457 problem (`application/problem+json`): `type`, `title`, `status` and `detail`,
 * beside what a caller can act on (the actual version of a conflict). Every failed request answers with one of them,
 * and a request that fails writes nothing.
 *
 * @since 0.1.0
 */
import { HttpApiSchema } from "@effect/platform"
import type { EventStore, StorageError, StreamId } from "@chronicle/core"
import { Schema } from "effect"

/**
 * The media type of every error response.
 *
 * @since 0.1.0
 * @category constants
 */
export const contentType = "application/problem+json"

/** The members every problem has, with their defaults for one status; `detail` is given at each use. */
const members = (status: number, slug: string, title: string) => ({
  type: Schema.String.pipe(
    Schema.propertySignature,
    Schema.withConstructorDefault(() => `urn:chronicle:problem:${slug}`)
  ),
  title: Schema.String.pipe(
    Schema.propertySignature,
    Schema.withConstructorDefault(() => title)
  ),
  status: Schema.Number.pipe(
    Schema.propertySignature,
    Schema.withConstructorDefault(() => status)
  ),
  detail: Schema.String
})

/** The response a problem is encoded as: its status, as `application/problem+json`. */
const response = (status: number) => ({
  [HttpApiSchema.AnnotationStatus]: status,
  [HttpApiSchema.AnnotationEncoding]: { kind: "Json", contentType } satisfies HttpApiSchema.Encoding
})

/**
 * 400: a request the API cannot take as it is: an invalid stream id, event, JSON body, header or option.
 *
 * @since 0.1.0
 * @category errors
 */
export class BadRequest extends Schema.TaggedError<BadRequest>("@chronicle/http/BadRequest")(
  "BadRequest",
  members(400, "bad-request", "Bad request"),
  response(400)
) {}

/**
 * 401: a write without the bearer token the server requires.
 *
 * @since 0.1.0
 * @category errors
 */
export class Unauthorized extends Schema.TaggedError<Unauthorized>("@chronicle/http/Unauthorized")(
  "Unauthorized",
  members(401, "unauthorized", "Unauthorized"),
  response(401)
) {}

/**
 * 403: a write with a wrong token, or to a server that takes no writes (`--read-only`, or no token to check).
 *
 * @since 0.1.0
 * @category errors
 */
export class Forbidden extends Schema.TaggedError<Forbidden>("@chronicle/http/Forbidden")(
  "Forbidden",
  members(403, "forbidden", "Forbidden"),
  response(403)
) {}

/**
 * 404: no such stream, event, decider or page.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotFound extends Schema.TaggedError<NotFound>("@chronicle/http/NotFound")(
  "NotFound",
  members(404, "not-found", "Not found"),
  response(404)
) {}

/**
 * 409: an append whose expected version is not the stream's (`actualVersion` says what it is), or an event id the
 * stream already holds for another event.
 *
 * @since 0.1.0
 * @category errors
 */
export class Conflict extends Schema.TaggedError<Conflict>("@chronicle/http/Conflict")(
  "Conflict",
  {
    ...members(409, "conflict", "Conflict"),
    streamId: Schema.String,
    actualVersion: Schema.optionalWith(Schema.Number, { exact: true })
  },
  response(409)
) {}

/**
 * 413: a body larger than the server's limit (`limitBytes`).
 *
 * @since 0.1.0
 * @category errors
 */
export class PayloadTooLarge extends Schema.TaggedError<PayloadTooLarge>("@chronicle/http/PayloadTooLarge")(
  "PayloadTooLarge",
  { ...members(413, "payload-too-large", "Payload too large"), limitBytes: Schema.Number },
  response(413)
) {}

/**
 * 415: a body that is not `application/json`.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnsupportedMediaType extends Schema.TaggedError<UnsupportedMediaType>(
  "@chronicle/http/UnsupportedMediaType"
)("UnsupportedMediaType", members(415, "unsupported-media-type", "Unsupported media type"), response(415)) {}

/**
 * 503: the store failed (a `StorageError`); nothing was written, and the request may be tried again.
 *
 * @since 0.1.0
 * @category errors
 */
export class StoreUnavailable extends Schema.TaggedError<StoreUnavailable>("@chronicle/http/StoreUnavailable")(
  "StoreUnavailable",
  members(503, "store-unavailable", "Store unavailable"),
  response(503)
) {}

/**
 * Every problem an endpoint may answer with.
 *
 * @since 0.1.0
 * @category models
 */
export type Any =
  | BadRequest
  | Unauthorized
  | Forbidden
  | NotFound
  | Conflict
  | PayloadTooLarge
  | UnsupportedMediaType
  | StoreUnavailable

/**
 * A read's error as the problem the API answers with: a bad request for an invalid id or option, a store that is
 * unavailable for a storage fault or an event it cannot decode.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromRead = (
  error: EventStore.ReadError | StreamId.InvalidStreamId | StorageError.StorageError
): BadRequest | StoreUnavailable => {
  switch (error._tag) {
    case "InvalidStreamId":
    case "InvalidArgument":
      return new BadRequest({ detail: error.message })
    case "StorageError":
    case "EventDecodeError":
      return new StoreUnavailable({ detail: error.message })
  }
}

/**
 * An append's error as the problem the API answers with: a conflict for a wrong expected version (with the actual
 * one) or an event id the stream holds for another event, a bad request for an invalid event, else as `fromRead`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromAppend = (error: EventStore.AppendError): BadRequest | Conflict | StoreUnavailable => {
  switch (error._tag) {
    case "WrongExpectedVersion":
      return new Conflict({ detail: error.message, streamId: error.streamId, actualVersion: error.actual })
    case "DuplicateEventId":
      return new Conflict({ detail: error.message, streamId: error.streamId })
    case "AppendConditionFailed":
      return new Conflict({ detail: error.message, streamId: error.streamId })
    case "InvalidEvent":
      return new BadRequest({ detail: error.message })
    default:
      return fromRead(error)
  }
}
