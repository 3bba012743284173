import * as os from "node:os"
import { EventStore } from "@chronicle/core"
import { InMemoryCheckpointStore, InMemoryEventStore } from "@chronicle/store-memory"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { append, call, serve, streamId } from "./fixtures/TestServer.js"
import { Server } from "../src/index.js"

const memory = () => Layer.merge(InMemoryEventStore.layer, InMemoryCheckpointStore.layer)
const one = { events: [{ type: "Guarded", data: {} }] }

describe("write access", () => {
  it.layer(serve(memory(), { token: Redacted.make("s3cret") }))("with a token", (it) => {
    it.effect("a write without it is 401, with a wrong one 403, with it 201; reads need none", () =>
      Effect.gen(function* () {
        const id = streamId("Token")
        const none = yield* append(id, one)
        assert.strictEqual(none.status, 401)
        assert.strictEqual(none.headers.get("content-type"), "application/problem+json")
        assert.strictEqual((yield* append(id, one, { authorization: "Bearer s3cre" })).status, 403)
        assert.strictEqual((yield* append(id, one, { authorization: "Bearer s3cret!" })).status, 403)
        assert.strictEqual(yield* EventStore.streamVersion(id), 0)
        assert.strictEqual((yield* append(id, one, { authorization: "Bearer s3cret" })).status, 201)
        assert.strictEqual((yield* call(`/api/streams/${id}`)).status, 200)
      })
    )
  })

  it.layer(serve(memory(), { readOnly: true }))("read-only", (it) => {
    it.effect("every write is 403 and nothing is written; reads still answer", () =>
      Effect.gen(function* () {
        const id = streamId("ReadOnly")
        const refused = yield* append(id, one)
        assert.strictEqual(refused.status, 403)
        assert.include(refused.json.detail, "read-only")
        assert.strictEqual(yield* EventStore.streamVersion(id), 0)
        assert.strictEqual((yield* call("/api/stats")).status, 200)
      })
    )
  })

  it.layer(serve(memory(), { host: "0.0.0.0" }))("on a host other than loopback, without a token", (it) => {
    it.effect("writes are refused (403), naming --token", () =>
      Effect.gen(function* () {
        const refused = yield* append(streamId("Open"), one)
        assert.strictEqual(refused.status, 403)
        assert.include(refused.json.detail, "--token")
      })
    )
  })

  it.effect("loopback hosts are told apart from others", () =>
    Effect.sync(() => {
      assert.deepStrictEqual(
        [
          "127.0.0.1",
          "localhost",
          "::1",
          "127.1.2.3",
          "0.0.0.0",
          os.hostname() === "localhost" ? "10.0.0.1" : os.hostname()
        ].map(Server.isLoopback),
        [true, true, true, true, false, false]
      )
    })
  )
})

describe("CORS", () => {
  it.layer(serve(memory()))("by default", (it) => {
    it.effect("no CORS header is sent", () =>
      Effect.gen(function* () {
        const answer = yield* call("/api/stats", { headers: { origin: "https://elsewhere.example" } })
        assert.isNull(answer.headers.get("access-control-allow-origin"))
      })
    )
  })
  it.layer(serve(memory(), { corsOrigins: ["https://console.example"] }))("when asked", (it) => {
    it.effect("the allowed origin gets the header", () =>
      Effect.gen(function* () {
        const answer = yield* call("/api/stats", { headers: { origin: "https://console.example" } })
        assert.strictEqual(answer.headers.get("access-control-allow-origin"), "https://console.example")
      })
    )
  })
})
