/**
 * `chronicle serve`'s server: the API, its OpenAPI document (`/openapi.json`) and reference (`/docs`), and the
 * console (`/`), on a Node HTTP server over the store's services.
 *
 * Safe by default: it listens on 127.0.0.1; on any other host, writes need a bearer token (given as `token`, compared
 * in constant time), and without one they are refused; a `token` given on loopback is required too. `readOnly`
 * refuses every write. No CORS header is sent unless `corsOrigins` names the origins allowed.
 *
 * @since 0.1.0
 */
import { createHash, timingSafeEqual } from "node:crypto"
import { createServer } from "node:http"
import type { CheckpointStore, EventStore, StoreAdmin } from "@chronicle/core"
import { HttpApiBuilder, HttpApiScalar, type HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import type { ServeError } from "@effect/platform/HttpServerError"
import { Effect, Layer, Redacted } from "effect"
import * as AdminHandlers from "./AdminHandlers.js"
import { ChronicleApi } from "./ChronicleApi.js"
import * as Console from "./Console.js"
import type * as Deciders from "./Deciders.js"
import * as EventsHandlers from "./EventsHandlers.js"
import { Forbidden, Unauthorized } from "./Problem.js"
import * as RequestBody from "./RequestBody.js"
import * as Responses from "./Responses.js"
import * as StreamsHandlers from "./StreamsHandlers.js"
import { WriteAccess } from "./WriteAccess.js"

/**
 * The server's options; every one has a safe default.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The address to listen on (default `127.0.0.1`). */
  readonly host?: string
  /** The port (default {@link defaultPort}; 0 picks a free one). */
  readonly port?: number
  /** The bearer token writes need. */
  readonly token?: Redacted.Redacted<string> | undefined
  /** Refuse every write. */
  readonly readOnly?: boolean
  /** The origins allowed to call the API from a browser (CORS); none by default. */
  readonly corsOrigins?: ReadonlyArray<string>
  /** The largest request body taken, in bytes (default `RequestBody.defaultMaxBytes`). */
  readonly maxBodyBytes?: number
  /** The deciders whose states the console shows (time travel). */
  readonly deciders?: ReadonlyArray<Deciders.Registration>
}

/**
 * The port when none is given.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultPort = 4400

/**
 * The host when none is given: loopback only.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultHost = "127.0.0.1"

/**
 * Whether a host is this machine only (writes need no token there unless one is given).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isLoopback = (host: string): boolean =>
  host === "localhost" || host === "::1" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host)

const digest = (text: string) => createHash("sha256").update(text, "utf8").digest()

/** The write guard for the options. */
const writeAccess = (options: Options) => {
  const host = options.host ?? defaultHost
  const expected = options.token === undefined ? undefined : digest(Redacted.value(options.token))
  return Layer.succeed(WriteAccess, {
    bearer: (given) => {
      if (options.readOnly === true) {
        return Effect.fail(new Forbidden({ detail: "this server is read-only" }))
      }
      if (expected === undefined) {
        return isLoopback(host)
          ? Effect.void
          : Effect.fail(
              new Forbidden({
                detail: `writes on ${host} need a token: start the server with --token or CHRONICLE_TOKEN`
              })
            )
      }
      const token = Redacted.value(given)
      if (token === "") return Effect.fail(new Unauthorized({ detail: "writes need Authorization: Bearer <token>" }))
      return timingSafeEqual(digest(token), expected)
        ? Effect.void
        : Effect.fail(new Forbidden({ detail: "the bearer token is not this server's" }))
    }
  })
}

/**
 * The API with its handlers, over the store's services, without a server: for `HttpApiBuilder.serve` or
 * `HttpApiBuilder.toWebHandler`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerApi = (options: Options = {}) =>
  HttpApiBuilder.api(ChronicleApi).pipe(
    Layer.provide([
      StreamsHandlers.layer({
        maxBodyBytes: options.maxBodyBytes ?? RequestBody.defaultMaxBytes,
        deciders: options.deciders ?? []
      }),
      EventsHandlers.layer,
      AdminHandlers.layer(options.deciders ?? [])
    ]),
    Layer.provide(writeAccess(options))
  )

/**
 * The whole server listening on `host:port`; it provides the `HttpServer`, whose `address` names the port it got.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<
  HttpServer.HttpServer,
  ServeError,
  EventStore.EventStore | StoreAdmin.StoreAdmin | CheckpointStore.CheckpointStore
> =>
  HttpApiBuilder.serve().pipe(
    Layer.provide(Responses.layer),
    Layer.provide(HttpApiScalar.layer({ path: "/docs" })),
    Layer.provide(HttpApiBuilder.middlewareOpenApi({ path: "/openapi.json" })),
    Layer.provide(Console.layer),
    Layer.provide(
      options.corsOrigins !== undefined && options.corsOrigins.length > 0
        ? HttpApiBuilder.middlewareCors({ allowedOrigins: options.corsOrigins })
        : Layer.empty
    ),
    Layer.provide(layerApi(options)),
    Layer.provideMerge(
      NodeHttpServer.layer(createServer, { host: options.host ?? defaultHost, port: options.port ?? defaultPort })
    ),
    // A server of its own: its router is not shared with another server built in the same process.
    Layer.fresh
  )
