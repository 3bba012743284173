import { testDatabase } from "@chronicle/postgres-server/vitest"
import { CheckpointStore, EventStore, Position } from "@chronicle/core"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { append, call, type EventJson, serve, streamId, stores } from "./fixtures/TestServer.js"

const pgUrl = await testDatabase("http-streams")

const event = (n: number) => ({ type: "Counted", data: { n } })

for (const store of stores(pgUrl)) {
  describe(`streams over HTTP on ${store.name}`, () => {
    it.layer(serve(store.layer()))((it) => {
      it.effect("append answers 201 with the version, positions and ETag; read answers the events and the ETag", () =>
        Effect.gen(function* () {
          const id = streamId("Append")
          const created = yield* append(id, { events: [event(1), event(2)] }, { "if-none-match": "*" })
          assert.strictEqual(created.status, 201)
          assert.strictEqual(created.json.version, 2)
          assert.strictEqual(created.json.positions.length, 2)
          assert.strictEqual(created.headers.get("etag"), '"2"')
          const next = yield* append(id, { events: [event(3)] }, { "if-match": '"2"' })
          assert.strictEqual(next.status, 201)
          assert.strictEqual(next.json.version, 3)
          const read = yield* call(`/api/streams/${id}`)
          assert.strictEqual(read.status, 200)
          assert.strictEqual(read.headers.get("etag"), '"3"')
          assert.deepStrictEqual(
            read.json.events.map((e: EventJson) => (e.data as { n: number }).n),
            [1, 2, 3]
          )
          assert.deepStrictEqual(
            read.json.events.map((e: EventJson) => e.position),
            [...created.json.positions, ...next.json.positions]
          )
          assert.strictEqual(read.json.next, null)
        })
      )

      it.effect(
        "a stale If-Match and If-None-Match: * on an existing stream are 409 with the actual version, and write nothing",
        () =>
          Effect.gen(function* () {
            const id = streamId("Conflict")
            yield* append(id, { events: [event(1), event(2)] })
            const stale = yield* append(id, { events: [event(3)] }, { "if-match": "1" })
            assert.strictEqual(stale.status, 409)
            assert.strictEqual(stale.headers.get("content-type"), "application/problem+json")
            assert.strictEqual(stale.json.actualVersion, 2)
            assert.strictEqual(stale.json.status, 409)
            const exists = yield* append(id, { events: [event(3)] }, { "if-none-match": "*" })
            assert.strictEqual(exists.status, 409)
            assert.strictEqual(exists.json.actualVersion, 2)
            assert.strictEqual(yield* EventStore.streamVersion(id), 2)
          })
      )

      it.effect("events with ids are idempotent: a retry answers the first result and writes nothing more", () =>
        Effect.gen(function* () {
          const id = streamId("Retry")
          const body = {
            events: [
              { ...event(1), id: crypto.randomUUID() },
              { ...event(2), id: crypto.randomUUID() }
            ]
          }
          const first = yield* append(id, body, { "if-none-match": "*" })
          const retry = yield* append(id, body, { "if-none-match": "*" })
          assert.strictEqual(first.status, 201)
          assert.strictEqual(retry.status, 201)
          assert.deepStrictEqual(retry.json, first.json)
          assert.strictEqual(yield* EventStore.streamVersion(id), 2)
        })
      )

      it.effect("two appends racing on one expected version: exactly one 201, the other 409", () =>
        Effect.gen(function* () {
          const id = streamId("Race")
          yield* append(id, { events: [event(1)] })
          const results = yield* Effect.all(
            Array.from({ length: 8 }, (_, i) => append(id, { events: [event(10 + i)] }, { "if-match": "1" })),
            { concurrency: "unbounded" }
          )
          const statuses = results.map((r) => r.status).sort()
          assert.deepStrictEqual(statuses, [201, 409, 409, 409, 409, 409, 409, 409])
          assert.strictEqual(yield* EventStore.streamVersion(id), 2)
        })
      )

      it.effect("reads page forward and backward, and a missing stream is 404", () =>
        Effect.gen(function* () {
          const id = streamId("Pages")
          yield* append(id, { events: [1, 2, 3, 4, 5].map(event) })
          const first = yield* call(`/api/streams/${id}?limit=2`)
          assert.deepStrictEqual(
            first.json.events.map((e: EventJson) => e.version),
            [1, 2]
          )
          assert.strictEqual(first.json.next, 3)
          const second = yield* call(`/api/streams/${id}?limit=2&from=${first.json.next}`)
          assert.deepStrictEqual(
            second.json.events.map((e: EventJson) => e.version),
            [3, 4]
          )
          const back = yield* call(`/api/streams/${id}?direction=backward&limit=2`)
          assert.deepStrictEqual(
            back.json.events.map((e: EventJson) => e.version),
            [5, 4]
          )
          assert.strictEqual(back.json.next, 3)
          const missing = yield* call(`/api/streams/${streamId("Missing")}`)
          assert.strictEqual(missing.status, 404)
          assert.strictEqual(missing.headers.get("content-type"), "application/problem+json")
        })
      )

      it.effect("lists streams by prefix, a page at a time", () =>
        Effect.gen(function* () {
          const prefix = `List-${crypto.randomUUID()}-`
          for (const name of ["a", "b", "c"]) yield* append(`${prefix}${name}`, { events: [event(1)] })
          const first = yield* call(`/api/streams?prefix=${prefix}&limit=2`)
          assert.deepStrictEqual(
            first.json.streams.map((s: { streamId: string }) => s.streamId),
            [`${prefix}a`, `${prefix}b`]
          )
          const rest = yield* call(`/api/streams?prefix=${prefix}&limit=2&after=${encodeURIComponent(first.json.next)}`)
          assert.deepStrictEqual(
            rest.json.streams.map((s: { streamId: string }) => s.streamId),
            [`${prefix}c`]
          )
          assert.strictEqual(rest.json.next, null)
        })
      )

      it.effect("reads the global order after a position, a page at a time, to the head", () =>
        Effect.gen(function* () {
          const id = streamId("Global")
          const head = (yield* call("/api/events?limit=1")).json.head
          const written = yield* append(id, { events: [1, 2, 3].map(event) })
          const page = yield* call(`/api/events?after=${head}&limit=2`)
          const mine = page.json.events.filter((e: EventJson) => e.streamId === id)
          assert.isAtMost(page.json.events.length, 2)
          const rest = yield* call(`/api/events?after=${page.json.next}&limit=100`)
          const all = [...mine, ...rest.json.events.filter((e: EventJson) => e.streamId === id)]
          assert.deepStrictEqual(
            all.map((e: EventJson) => e.position),
            written.json.positions
          )
          assert.strictEqual(rest.json.next, null)
        })
      )

      it.effect("stats, checkpoints with their lag, and the registered deciders", () =>
        Effect.gen(function* () {
          const id = streamId("Stats")
          yield* append(id, { events: [{ type: "StatsCounted", data: {} }] })
          const stats = yield* call("/api/stats")
          assert.isAtLeast(stats.json.events, 1)
          assert.isTrue(
            stats.json.eventTypes.some(
              (t: { type: string; count: number }) => t.type === "StatsCounted" && t.count === 1
            )
          )
          const name = `projection-${crypto.randomUUID()}`
          const head = yield* EventStore.headPosition
          yield* append(id, { events: [event(2), event(3)] })
          yield* CheckpointStore.CheckpointStore.pipe(
            Effect.flatMap((checkpoints) => checkpoints.commit(name, { from: Position.start, to: head }, Effect.void))
          )
          const listed = (yield* call("/api/checkpoints")).json.find((c: { name: string }) => c.name === name)
          assert.deepStrictEqual(listed, { name, position: Position.format(head), lag: 2 })
          const deciders = yield* call("/api/deciders")
          assert.deepStrictEqual(deciders.json, [{ name: "BankAccount", streamPrefix: "BankAccount-" }])
        })
      )

      it.effect("time travel: the registered decider's state at each version, with the event there", () =>
        Effect.gen(function* () {
          const account = crypto.randomUUID()
          const id = `BankAccount-${account}`
          yield* append(id, {
            events: [
              {
                type: "AccountOpened",
                data: { accountId: account, ownerName: "Ada", openedAt: "2024-01-01T00:00:00.000Z" }
              },
              { type: "MoneyDeposited", data: { amount: 100, balanceAfter: 100 } },
              { type: "MoneyWithdrawn", data: { amount: 30, balanceAfter: 70 } }
            ]
          })
          const balances: Array<unknown> = []
          for (const version of [1, 2, 3]) {
            const at = yield* call(`/api/streams/${id}/state?version=${version}`)
            assert.strictEqual(at.status, 200, at.text)
            assert.strictEqual(at.json.event.version, version)
            balances.push(at.json.state.balance)
          }
          assert.deepStrictEqual(balances, [0, 100, 70])
          const origin = yield* call(`/api/streams/${id}/state?version=0`)
          assert.deepStrictEqual([origin.json.state._tag, origin.json.event], ["NotOpened", null])
          assert.strictEqual((yield* call(`/api/streams/${id}/state?version=4`)).status, 404)
          assert.strictEqual((yield* call(`/api/streams/${streamId("Other")}/state`)).status, 404)
        })
      )

      it.effect("/openapi.json describes every endpoint, and /docs serves its reference", () =>
        Effect.gen(function* () {
          const spec = yield* call("/openapi.json")
          assert.strictEqual(spec.status, 200)
          assert.includeMembers(Object.keys(spec.json.paths), [
            "/api/streams",
            "/api/streams/{streamId}",
            "/api/streams/{streamId}/state",
            "/api/events",
            "/api/events/live",
            "/api/stats",
            "/api/checkpoints",
            "/api/deciders"
          ])
          assert.property(spec.json.paths["/api/streams/{streamId}"].post.responses, "409")
          const docs = yield* call("/docs")
          assert.strictEqual(docs.status, 200)
          assert.include(docs.text, "<html")
        })
      )
    })
  })
}
