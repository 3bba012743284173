/**
 * The HTTP API's definition: every endpoint with its path, query, headers, body, responses and errors. The server's
 * handlers (`ApiHandlers`), the OpenAPI document (`/openapi.json`) and the typed client (`ChronicleClient`) all come
 * from it, so they cannot disagree.
 *
 * - `streams`: list (prefix, paged), read one (`ETag` = its version), append (`If-Match: <version>` for an exact
 *   version, `If-None-Match: *` for a new stream, neither for any) → 201, or 409 with the actual version; the state
 *   a registered decider folds up to a version.
 * - `events`: the global order after a position (paged), and live as Server-Sent Events (`Last-Event-ID` resumes).
 * - `admin`: stats, checkpoints with their lag, the registered deciders.
 *
 * @since 0.1.0
 */
import { HttpApi, HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import * as ApiModel from "./ApiModel.js"
import * as Problem from "./Problem.js"
import { WriteAccess } from "./WriteAccess.js"

/** The request headers of an append. */
const AppendHeaders = Schema.Struct({
  "if-match": Schema.optionalWith(Schema.String, { exact: true }),
  "if-none-match": Schema.optionalWith(Schema.String, { exact: true })
})

/** The request headers of a live subscription. */
const LiveHeaders = Schema.Struct({ "last-event-id": Schema.optionalWith(Schema.String, { exact: true }) })

/** A Server-Sent Events stream, as the OpenAPI document shows it. */
const EventStream = Schema.String.pipe(HttpApiSchema.withEncoding({ kind: "Text", contentType: "text/event-stream" }))

/**
 * The stream endpoints.
 *
 * @since 0.1.0
 * @category api
 */
export class StreamsGroup extends HttpApiGroup.make("streams")
  .add(
    HttpApiEndpoint.get("listStreams", "/api/streams")
      .setUrlParams(ApiModel.ListStreamsQuery)
      .addSuccess(ApiModel.StreamPage)
      .annotate(OpenApi.Description, "A page of streams in code point order of their ids, by prefix.")
  )
  .add(
    HttpApiEndpoint.get("readStream", "/api/streams/:streamId")
      .setPath(ApiModel.StreamPath)
      .setUrlParams(ApiModel.ReadStreamQuery)
      .addSuccess(ApiModel.StreamEvents)
      .addError(Problem.NotFound)
      .annotate(OpenApi.Description, "A page of one stream's events; the ETag header is the stream's version.")
  )
  .add(
    HttpApiEndpoint.post("appendToStream", "/api/streams/:streamId")
      .setPath(ApiModel.StreamPath)
      .setHeaders(AppendHeaders)
      .setPayload(ApiModel.AppendRequest)
      .addSuccess(ApiModel.Appended, { status: 201 })
      .addError(Problem.Conflict)
      .addError(Problem.PayloadTooLarge)
      .addError(Problem.UnsupportedMediaType)
      .middleware(WriteAccess)
      .annotate(
        OpenApi.Description,
        "Appends events atomically. If-Match: <version> expects that version, If-None-Match: * a new stream."
      )
  )
  .add(
    HttpApiEndpoint.get("stateAt", "/api/streams/:streamId/state")
      .setPath(ApiModel.StreamPath)
      .setUrlParams(ApiModel.StateQuery)
      .addSuccess(ApiModel.StateAt)
      .addError(Problem.NotFound)
      .annotate(OpenApi.Description, "The state the stream's registered decider folds up to a version.")
  ) {}

/**
 * The global order, paged and live.
 *
 * @since 0.1.0
 * @category api
 */
export class EventsGroup extends HttpApiGroup.make("events")
  .add(
    HttpApiEndpoint.get("readAll", "/api/events")
      .setUrlParams(ApiModel.ReadAllQuery)
      .addSuccess(ApiModel.EventPage)
      .annotate(OpenApi.Description, "A page of every stream's events in global order, after a position.")
  )
  .add(
    HttpApiEndpoint.get("live", "/api/events/live")
      .setUrlParams(Schema.Struct({ after: Schema.optionalWith(Schema.String, { exact: true }) }))
      .setHeaders(LiveHeaders)
      .addSuccess(EventStream)
      .annotate(
        OpenApi.Description,
        "Server-Sent Events: every event after a position, then new ones as they commit. Each event's id is its position, so a client that reconnects with Last-Event-ID misses nothing and sees nothing twice."
      )
  ) {}

/**
 * What operators look at: totals, checkpoints, registered deciders.
 *
 * @since 0.1.0
 * @category api
 */
export class AdminGroup extends HttpApiGroup.make("admin")
  .add(HttpApiEndpoint.get("stats", "/api/stats").addSuccess(ApiModel.Stats))
  .add(HttpApiEndpoint.get("checkpoints", "/api/checkpoints").addSuccess(Schema.Array(ApiModel.Checkpoint)))
  .add(HttpApiEndpoint.get("deciders", "/api/deciders").addSuccess(Schema.Array(ApiModel.DeciderInfo))) {}

/**
 * The whole API. Every endpoint may also answer 400 (a bad id, option, header or body), 404 and 503 (the store failed).
 *
 * @since 0.1.0
 * @category api
 */
export class ChronicleApi extends HttpApi.make("chronicle")
  .add(StreamsGroup)
  .add(EventsGroup)
  .add(AdminGroup)
  .addError(Problem.BadRequest)
  .addError(Problem.NotFound)
  .addError(Problem.StoreUnavailable)
  .annotate(OpenApi.Title, "Chronicle")
  .annotate(OpenApi.Version, "0.1.0")
  .annotate(OpenApi.Description, "An event store over HTTP: streams, the global order, live events, stats.") {}
