import * as http from "node:http"
import { testDatabase } from "@chronicle/postgres-server/vitest"
import { EventStore } from "@chronicle/core"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { append, BaseUrl, call, serve, streamId, stores } from "./fixtures/TestServer.js"

const pgUrl = await testDatabase("http-bad-input")

/** A raw request, bytes and path as given (no normalisation by the client). */
const raw = (method: string, path: string, headers: Record<string, string>, body?: Buffer) =>
  Effect.flatMap(BaseUrl, (base) =>
    Effect.promise(
      () =>
        new Promise<{ status: number; contentType: string | undefined; text: string }>((resolve, reject) => {
          const url = new URL(base)
          const request = http.request({ host: url.hostname, port: url.port, method, path, headers }, (response) => {
            let text = ""
            response.on("data", (chunk: Buffer) => (text += chunk.toString()))
            response.on("end", () =>
              resolve({ status: response.statusCode ?? 0, contentType: response.headers["content-type"], text })
            )
          })
          request.on("error", reject)
          if (body !== undefined) request.write(body)
          request.end()
        })
    )
  )

const one = { events: [{ type: "Bad", data: {} }] }

for (const store of stores(pgUrl)) {
  describe(`bad input over HTTP on ${store.name}`, () => {
    it.layer(serve(store.layer(), { maxBodyBytes: 2048 }))((it) => {
      it.effect(
        "malformed JSON, a body that is not an append, and a bad event are 400 problems; nothing is written",
        () =>
          Effect.gen(function* () {
            const id = streamId("Malformed")
            const post = (body: string) =>
              call(`/api/streams/${id}`, { method: "POST", headers: { "content-type": "application/json" }, body })
            for (const body of [
              '{"events": [',
              "[]",
              '{"events": [{"data": 1}]}',
              '{"events": [{"type": "A", "data": 1, "id": "nope"}]}',
              '{"events": [{"type": "", "data": 1}]}'
            ]) {
              const answer = yield* post(body)
              assert.strictEqual(answer.status, 400, body)
              assert.strictEqual(answer.headers.get("content-type"), "application/problem+json")
              assert.strictEqual(answer.json.status, 400)
            }
            assert.strictEqual(yield* EventStore.streamVersion(id), 0)
          })
      )

      it.effect(
        "a body that is not JSON is 415; one over the limit is 413, declared or chunked; nothing is written",
        () =>
          Effect.gen(function* () {
            const id = streamId("Sized")
            const text = yield* call(`/api/streams/${id}`, {
              method: "POST",
              headers: { "content-type": "text/plain" },
              body: JSON.stringify(one)
            })
            assert.strictEqual(text.status, 415)
            const big = { events: [{ type: "Big", data: "x".repeat(4096) }] }
            const declared = yield* append(id, big)
            assert.strictEqual(declared.status, 413)
            assert.strictEqual(declared.json.limitBytes, 2048)
            const chunked = yield* raw(
              "POST",
              `/api/streams/${id}`,
              { "content-type": "application/json", "transfer-encoding": "chunked" },
              Buffer.from(JSON.stringify(big))
            )
            assert.strictEqual(chunked.status, 413)
            assert.strictEqual(yield* EventStore.streamVersion(id), 0)
          })
      )

      it.effect("a body that is not UTF-8 is a 400; nothing is written", () =>
        Effect.gen(function* () {
          const id = streamId("Bytes")
          const body = Buffer.concat([
            Buffer.from('{"events":[{"type":"A","data":"'),
            Buffer.from([0xff, 0xfe]),
            Buffer.from('"}]}')
          ])
          const answer = yield* raw("POST", `/api/streams/${id}`, { "content-type": "application/json" }, body)
          assert.strictEqual(answer.status, 400)
          assert.include(answer.text, "UTF-8")
          assert.strictEqual(yield* EventStore.streamVersion(id), 0)
        })
      )

      it.effect("injection-shaped ids are only ids: stored and read back as given", () =>
        Effect.gen(function* () {
          for (const shape of [
            "x'; DROP TABLE chronicle_events; --",
            'x" OR "1"="1',
            "x/../../etc/passwd",
            "<script>alert(1)</script>"
          ]) {
            const id = `${shape}-${crypto.randomUUID()}`
            const written = yield* append(id, one)
            assert.strictEqual(written.status, 201, shape)
            const read = yield* call(`/api/streams/${encodeURIComponent(id)}`)
            assert.strictEqual(read.json.events[0].streamId, id)
          }
          assert.isAtLeast((yield* call("/api/stats")).json.events, 4)
        })
      )

      it.effect("ids that are not UTF-8 or have control characters are 400 problems; nothing is written", () =>
        Effect.gen(function* () {
          const before = (yield* call("/api/stats")).json.events
          const notUtf8 = yield* raw(
            "POST",
            "/api/streams/bad%FF%FEid",
            { "content-type": "application/json" },
            Buffer.from(JSON.stringify(one))
          )
          assert.strictEqual(notUtf8.status, 400)
          const control = yield* append("bad\u0001id", one)
          assert.strictEqual(control.status, 400)
          assert.strictEqual(control.headers.get("content-type"), "application/problem+json")
          assert.strictEqual((yield* raw("GET", "/api/streams/bad%FFid", {})).status, 400)
          assert.strictEqual((yield* call("/api/stats")).json.events, before)
        })
      )

      it.effect("bad options and headers are 400 problems", () =>
        Effect.gen(function* () {
          const id = streamId("Options")
          for (const route of [
            `/api/streams/${id}?limit=0`,
            `/api/streams/${id}?direction=sideways`,
            "/api/events?after=soon",
            "/api/streams?limit=-1"
          ]) {
            const answer = yield* call(route)
            assert.strictEqual(answer.status, 400, route)
            assert.strictEqual(answer.headers.get("content-type"), "application/problem+json")
          }
          assert.strictEqual((yield* append(id, one, { "if-match": "latest" })).status, 400)
          assert.strictEqual((yield* append(id, one, { "if-none-match": '"3"' })).status, 400)
          assert.strictEqual((yield* append(id, one, { "if-match": "1", "if-none-match": "*" })).status, 400)
          assert.strictEqual(yield* EventStore.streamVersion(id), 0)
        })
      )

      it.effect("static files: only the console's own; traversal and unknown paths are 404 problems", () =>
        Effect.gen(function* () {
          const page = yield* raw("GET", "/", {})
          assert.strictEqual(page.status, 200)
          assert.include(page.contentType ?? "", "text/html")
          assert.strictEqual((yield* raw("GET", "/console/app.js", {})).status, 200)
          for (const path of [
            "/console/..%2F..%2Fpackage.json",
            "/console/../../package.json",
            "/console/%2e%2e%2fsrc%2fServer.ts",
            "/console/index.ts",
            "/etc/passwd",
            "/console/"
          ]) {
            const answer = yield* raw("GET", path, {})
            assert.strictEqual(answer.status, 404, path)
            assert.notInclude(answer.text, "@chronicle/http")
          }
        })
      )
    })
  })
}
