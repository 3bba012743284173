/**
 * What makes every error response a problem (`application/problem+json`), including the ones the HTTP layer raises
 * before a handler runs: a path, query or header that does not decode becomes a 400, a route that does not exist a
 * 404 (both then encoded as the API's own errors), and anything unexpected a 500 (logged; no internals in the answer).
 *
 * @since 0.1.0
 */
import { HttpApiBuilder, HttpServerResponse } from "@effect/platform"
import { Cause, Effect, Option, Schema } from "effect"
import { ChronicleApi } from "./ChronicleApi.js"
import * as Problem from "./Problem.js"

/**
 * A problem as its response.
 *
 * @since 0.1.0
 * @category constructors
 */
export const respond = <A extends Problem.Any, I>(schema: Schema.Schema<A, I>, problem: A, status = problem.status) =>
  HttpServerResponse.unsafeJson(Schema.encodeSync(schema)(problem), { status, contentType: Problem.contentType })

/** The tag of a failure, if it has one. */
const tagOf = (error: unknown): unknown =>
  typeof error === "object" && error !== null ? (error as { _tag?: unknown })._tag : undefined

/** Whether a path's percent-encoding decodes to UTF-8 (a stream id in it that does not is a bad request). */
const isDecodable = (path: string): boolean => {
  try {
    decodeURIComponent(path)
    return true
  } catch {
    return false
  }
}

/**
 * The API-level middleware that turns what is not yet a problem into one.
 *
 * @since 0.1.0
 * @category middleware
 */
export const layer = HttpApiBuilder.middleware(ChronicleApi, (app) =>
  Effect.catchAllCause(
    app,
    (
      cause
    ): Effect.Effect<
      HttpServerResponse.HttpServerResponse,
      Problem.BadRequest | Problem.NotFound | Problem.StoreUnavailable
    > => {
      if (Cause.isInterruptedOnly(cause)) return Effect.failCause(cause as Cause.Cause<never>)
      const failure = Cause.failureOption(cause)
      if (Option.isSome(failure)) {
        const error = failure.value
        if (tagOf(error) === "HttpApiDecodeError") {
          const message = String((error as { message?: unknown }).message)
          return Effect.fail(new Problem.BadRequest({ detail: message.slice(0, 2000) }))
        }
        if (tagOf(error) === "RouteNotFound") {
          const url = (error as { request?: { url?: string } }).request?.url ?? ""
          return Effect.fail(
            isDecodable(url.split("?")[0]!)
              ? new Problem.NotFound({ detail: "no such resource" })
              : new Problem.BadRequest({ detail: "the path is not valid percent-encoded UTF-8" })
          )
        }
        return Effect.failCause(cause as Cause.Cause<never>)
      }
      return Effect.as(
        Effect.logError("request failed", cause),
        respond(
          Problem.StoreUnavailable,
          new Problem.StoreUnavailable({ detail: "the request failed on the server" }),
          500
        )
      )
    }
  )
)
