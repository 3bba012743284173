import { testDatabase } from "@chronicle/postgres-server/vitest"
import { assert, describe, it } from "@effect/vitest"
import { Effect, TestServices } from "effect"
import { append, call, readLive, serve, streamId, stores } from "./fixtures/TestServer.js"

const pgUrl = await testDatabase("http-live")

for (const store of stores(pgUrl)) {
  describe(`the live feed over HTTP on ${store.name}`, () => {
    it.layer(serve(store.layer()))((it) => {
      it.effect("a client that drops and resumes with Last-Event-ID misses nothing and sees nothing twice", () =>
        TestServices.provideLive(
          Effect.gen(function* () {
            const id = streamId("Live")
            const head = (yield* call("/api/events?limit=1")).json.head
            const first = yield* append(id, { events: [1, 2, 3].map((n) => ({ type: "Ticked", data: { n } })) })
            const dropped = yield* readLive(`?after=${head}`, {}, 2)
            assert.strictEqual(dropped.status, 200)
            assert.strictEqual(dropped.contentType, "text/event-stream")
            assert.deepStrictEqual(
              dropped.events.map((e) => e.data.data.n),
              [1, 2]
            )
            // While the client is away, more events commit.
            const second = yield* append(id, { events: [4, 5].map((n) => ({ type: "Ticked", data: { n } })) })
            const lastSeen = dropped.events[1]!.id
            const resumed = yield* readLive("", { "last-event-id": lastSeen }, 3)
            assert.deepStrictEqual(
              resumed.events.map((e) => e.data.data.n),
              [3, 4, 5]
            )
            const seen = [...dropped.events, ...resumed.events].map((e) => e.id)
            assert.deepStrictEqual(seen, [...first.json.positions, ...second.json.positions])
          })
        )
      )

      it.effect("events appended after a client connects reach it live", () =>
        TestServices.provideLive(
          Effect.gen(function* () {
            const id = streamId("Later")
            const head = (yield* call("/api/events?limit=1")).json.head
            const reading = yield* Effect.fork(readLive(`?after=${head}`, {}, 1))
            yield* Effect.sleep("300 millis")
            const written = yield* append(id, { events: [{ type: "Later", data: {} }] })
            const received = yield* reading.await.pipe(Effect.flatten)
            assert.deepStrictEqual(
              received.events.map((e) => e.id),
              written.json.positions
            )
          })
        )
      )

      it.effect("a Last-Event-ID that is not a position is a 400 problem", () =>
        Effect.gen(function* () {
          const bad = yield* readLive("", { "last-event-id": "yesterday" }, 1)
          assert.strictEqual(bad.status, 400)
          assert.strictEqual(bad.contentType, "application/problem+json")
        })
      )
    })
  })
}
