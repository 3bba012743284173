/**
 * The web console's files, served as they are from the package's `console/` directory: `/` is its page, and
 * `/console/NAME` one of its scripts or style sheets. Only the files listed here are served, by name, so no path
 * reaches anything else on disk. The console calls only the public API.
 *
 * @since 0.1.0
 */
import { readFileSync } from "node:fs"
import { HttpApiBuilder, HttpRouter, HttpServerResponse } from "@effect/platform"
import { Effect, type Layer } from "effect"
import * as Problem from "./Problem.js"
import { respond } from "./Responses.js"

/** The files of the console and their media types. */
const files: Readonly<Record<string, string>> = {
  "index.html": "text/html; charset=utf-8",
  "app.js": "text/javascript; charset=utf-8",
  "style.css": "text/css; charset=utf-8"
}

/** What every console response carries: no sniffing, no framing, scripts only from this server. */
const headers = {
  "cache-control": "no-cache",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "content-security-policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'"
}

/** The console's directory, beside `src` and `dist` alike. */
const directory = new URL("../console/", import.meta.url)

/**
 * The console's routes, added to the server's router.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<never> = HttpApiBuilder.Router.use((router) =>
  Effect.gen(function* () {
    const contents = new Map(
      Object.entries(files).map(([name, type]) => [name, { type, body: readFileSync(new URL(name, directory)) }])
    )
    const serve = (name: string) => {
      const file = contents.get(name)
      return file === undefined
        ? respond(Problem.NotFound, new Problem.NotFound({ detail: "no such file" }))
        : HttpServerResponse.uint8Array(file.body, { contentType: file.type, headers })
    }
    yield* router.get(
      "/",
      Effect.sync(() => serve("index.html"))
    )
    yield* router.get(
      "/console/:file",
      Effect.map(HttpRouter.params, (params) => serve(params.file ?? ""))
    )
  })
)
