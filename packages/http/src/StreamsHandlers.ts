/**
 * The handlers of the stream endpoints: list, read (with its `ETag`), append (with `If-Match` / `If-None-Match`, the
 * body checked whole before anything is written), and time travel through the registered deciders.
 *
 * @since 0.1.0
 */
import { EventStore, ExpectedVersion, type RecordedEvent, StoreAdmin } from "@chronicle/core"
import { HttpApiBuilder, HttpServerResponse } from "@effect/platform"
import { Chunk, Effect, Option, Stream } from "effect"
import * as ApiModel from "./ApiModel.js"
import { ChronicleApi } from "./ChronicleApi.js"
import * as Deciders from "./Deciders.js"
import * as Problem from "./Problem.js"
import * as RequestBody from "./RequestBody.js"

/** A page of a stream when the query names no limit. */
const defaultStreamPage = 100

/** The `ETag` of a stream at a version. */
const etag = (version: number) => `"${version}"`

/** A version from `If-Match` (`"5"`, `5`, or `*` for a stream that exists). */
const ifMatch = (value: string): ExpectedVersion.ExpectedVersion | undefined => {
  const text = value.trim()
  if (text === "*") return ExpectedVersion.streamExists
  const match = /^(?:W\/)?"?(\d{1,15})"?$/.exec(text)
  return match === null ? undefined : ExpectedVersion.exact(Number(match[1]))
}

/** The expected version the conditional headers name. */
const expectedVersion = (headers: {
  readonly "if-match"?: string
  readonly "if-none-match"?: string
}): Effect.Effect<ExpectedVersion.ExpectedVersion, Problem.BadRequest> => {
  const match = headers["if-match"]
  const noneMatch = headers["if-none-match"]
  if (match !== undefined && noneMatch !== undefined) {
    return Effect.fail(new Problem.BadRequest({ detail: "If-Match and If-None-Match cannot be combined" }))
  }
  if (noneMatch !== undefined) {
    return noneMatch.trim() === "*"
      ? Effect.succeed(ExpectedVersion.noStream)
      : Effect.fail(new Problem.BadRequest({ detail: 'If-None-Match takes only "*" (append to a new stream)' }))
  }
  if (match === undefined) return Effect.succeed(ExpectedVersion.any)
  const expected = ifMatch(match)
  return expected === undefined
    ? Effect.fail(
        new Problem.BadRequest({ detail: `If-Match must be a stream version ("5") or *, not ${JSON.stringify(match)}` })
      )
    : Effect.succeed(expected)
}

/** A stream that does not exist, as the 404 the read endpoints answer. */
const noStream = (streamId: string) => new Problem.NotFound({ detail: `no stream ${JSON.stringify(streamId)}` })

/**
 * The stream handlers, over the store's services.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: {
  readonly maxBodyBytes: number
  readonly deciders: ReadonlyArray<Deciders.Registration>
}) =>
  HttpApiBuilder.group(ChronicleApi, "streams", (handlers) =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const admin = yield* StoreAdmin.StoreAdmin
      const version = (streamId: string) => Effect.mapError(store.streamVersion(streamId), Problem.fromRead)
      return handlers
        .handle("listStreams", ({ urlParams }) =>
          admin.listStreams(urlParams).pipe(
            Effect.mapError(Problem.fromRead),
            Effect.map((page) => ({
              streams: page.streams.map((s) => ({
                streamId: s.streamId,
                version: s.version,
                position: s.position.toString(),
                lastRecordedAt: s.lastRecordedAt.toISOString()
              })),
              next: page.next ?? null
            }))
          )
        )
        .handle("readStream", ({ path, urlParams }) =>
          Effect.gen(function* () {
            const current = yield* version(path.streamId)
            if (current === 0) return yield* noStream(path.streamId)
            const limit = urlParams.limit ?? defaultStreamPage
            const backward = urlParams.direction === "backward"
            const events = yield* store
              .readStream(path.streamId, {
                direction: backward ? "backward" : "forward",
                ...(urlParams.from === undefined ? {} : { from: urlParams.from }),
                maxCount: limit
              })
              .pipe(Stream.runCollect, Effect.mapError(Problem.fromRead), Effect.map(Chunk.toReadonlyArray))
            const last = events[events.length - 1]
            const next =
              events.length < limit || last === undefined
                ? null
                : backward
                  ? last.version > 1
                    ? last.version - 1
                    : null
                  : last.version < current
                    ? last.version + 1
                    : null
            const body = { streamId: path.streamId, version: current, events: events.map(ApiModel.eventOf), next }
            return HttpServerResponse.unsafeJson(body, { headers: { etag: etag(current) } })
          })
        )
        .handleRaw("appendToStream", ({ path, headers, request }) =>
          Effect.gen(function* () {
            const expected = yield* expectedVersion(headers)
            const body = yield* RequestBody.appendRequest(request, options.maxBodyBytes)
            const events: Array<RecordedEvent.NewEvent> = body.events.map((e) => ({
              type: e.type,
              data: e.data,
              ...(e.id === undefined ? {} : { id: e.id }),
              ...(e.metadata === undefined ? {} : { metadata: e.metadata })
            }))
            const result = yield* Effect.mapError(
              store.append(path.streamId, events, { expectedVersion: expected }),
              Problem.fromAppend
            )
            const appended = {
              streamId: path.streamId,
              version: result.version,
              positions: result.positions.map((p) => p.toString())
            }
            return HttpServerResponse.unsafeJson(appended, {
              status: 201,
              headers: {
                etag: etag(result.version),
                location: `/api/streams/${encodeURIComponent(path.streamId)}`
              }
            })
          })
        )
        .handle("stateAt", ({ path, urlParams }) =>
          Effect.gen(function* () {
            const registration = Deciders.find(options.deciders, path.streamId)
            if (registration === undefined) {
              return yield* new Problem.NotFound({
                detail: `no decider is registered for stream ${JSON.stringify(path.streamId)}`
              })
            }
            const current = yield* version(path.streamId)
            if (current === 0) return yield* noStream(path.streamId)
            const at = urlParams.version ?? current
            if (at > current) {
              return yield* new Problem.NotFound({
                detail: `stream ${JSON.stringify(path.streamId)} has no version ${at} (its version is ${current})`
              })
            }
            const folded = yield* registration.stateAt(path.streamId, at).pipe(
              Effect.mapError((error) =>
                error._tag === "StateNotEncoded"
                  ? new Problem.StoreUnavailable({
                      detail: `the state of ${error.decider} cannot be encoded: ${error.reason}`
                    })
                  : Problem.fromRead(error)
              )
            )
            const event =
              at === 0
                ? Option.none()
                : yield* store
                    .readStream(path.streamId, { from: at, maxCount: 1 })
                    .pipe(Stream.runHead, Effect.mapError(Problem.fromRead))
            return {
              streamId: path.streamId,
              decider: registration.name,
              version: folded.version,
              state: folded.state,
              event: Option.match(event, { onNone: () => null, onSome: ApiModel.eventOf })
            }
          })
        )
    })
  )
