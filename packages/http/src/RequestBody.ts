/**
 * Reads an append's body as the API requires it, before anything is written: `application/json` (415 otherwise), no
 * larger than the server's limit (413: a declared length is refused at once, and a body without one is counted as it
 * arrives and kept only up to the limit),
 * UTF-8, JSON, and an `AppendRequest` (400, naming what is wrong).
 *
 * @since 0.1.0
 */
import type { HttpServerRequest } from "@effect/platform"
import { Effect, ParseResult, Schema, Stream } from "effect"
import * as ApiModel from "./ApiModel.js"
import { BadRequest, PayloadTooLarge, UnsupportedMediaType } from "./Problem.js"

/**
 * The body limit when none is given: 1 MiB.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultMaxBytes = 1024 * 1024

const decodeAppend = Schema.decodeUnknown(ApiModel.AppendRequest, { errors: "all", onExcessProperty: "error" })

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false })

/** `application/json`, with or without parameters (`; charset=utf-8`), or a `+json` type. */
const isJson = (contentType: string | undefined): boolean => {
  const mediaType = (contentType ?? "").split(";")[0]!.trim().toLowerCase()
  return mediaType === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType)
}

/** The body's bytes, failing as soon as they pass `maxBytes`. */
const bytes = (request: HttpServerRequest.HttpServerRequest, maxBytes: number) => {
  const tooLarge = new PayloadTooLarge({ detail: `the body is larger than ${maxBytes} bytes`, limitBytes: maxBytes })
  const declared = Number(request.headers["content-length"] ?? "0")
  if (declared > maxBytes) return Effect.fail(tooLarge)
  return request.stream.pipe(
    Stream.mapError(() => new BadRequest({ detail: "the body could not be read" })),
    // Past the limit the rest is read and dropped, so that the client, still sending, gets the answer.
    Stream.runFold({ chunks: [] as Array<Uint8Array>, size: 0 }, (read, chunk) => {
      read.size += chunk.length
      if (read.size <= maxBytes) read.chunks.push(chunk)
      return read
    }),
    Effect.flatMap((read) =>
      read.size > maxBytes ? Effect.fail(tooLarge) : Effect.succeed(Buffer.concat(read.chunks))
    )
  )
}

/**
 * The append request a body carries.
 *
 * @since 0.1.0
 * @category constructors
 */
export const appendRequest = (
  request: HttpServerRequest.HttpServerRequest,
  maxBytes: number
): Effect.Effect<typeof ApiModel.AppendRequest.Type, BadRequest | PayloadTooLarge | UnsupportedMediaType> =>
  Effect.gen(function* () {
    if (!isJson(request.headers["content-type"])) {
      return yield* new UnsupportedMediaType({
        detail: `an append's body must be application/json, not ${JSON.stringify(request.headers["content-type"] ?? "none")}`
      })
    }
    const body = yield* bytes(request, maxBytes)
    const text = yield* Effect.try({
      try: () => utf8.decode(body),
      catch: () => new BadRequest({ detail: "the body is not valid UTF-8" })
    })
    const json = yield* Effect.try({
      try: (): unknown => JSON.parse(text),
      catch: (error) => new BadRequest({ detail: `the body is not JSON: ${(error as Error).message}` })
    })
    return yield* Effect.mapError(
      decodeAppend(json),
      (error) =>
        new BadRequest({
          detail: `the body is not an append request: ${ParseResult.TreeFormatter.formatErrorSync(error)}`
        })
    )
  })
