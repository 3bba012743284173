import { EventStore, ExpectedVersion, Position, Query } from "@chronicle/core"
import { assert, type Vitest } from "@effect/vitest"
import { Effect, Either } from "effect"
import { increasing, readStreamAll, uniqueStream } from "./fixtures.js"
import { readQuery, uniqueTag } from "./queryCases.js"

type It = Vitest.MethodsNonLive<EventStore.EventStore>

/** Reads each query first, then runs every writer at once, each on its read's marker. */
const racing = <A, E>(
  queries: ReadonlyArray<Query.Query>,
  writer: (marker: Position.Position, index: number) => Effect.Effect<A, E, EventStore.EventStore>
) =>
  Effect.flatMap(Effect.all(queries.map((query) => readQuery(query))), (reads) =>
    Effect.all(
      reads.map(({ marker }, i) => writer(marker, i)),
      { concurrency: "unbounded" }
    )
  )

/**
 * Conditional appends (the Dynamic Consistency Boundary): a condition fails when a matching event was stored after
 * its position, writes nothing, names the event; appends to several streams are atomic; concurrent writers whose
 * conditions overlap let exactly one through, disjoint ones all. Also the dcb.events scenarios: consistency,
 * monotonic positions, parallel writes.
 */
export const conditionCases = (it: It) => {
  it.effect("a condition fails when a matching event came after the marker, naming it, and writes nothing", () =>
    Effect.gen(function* () {
      const tag = uniqueTag("cond")
      const id = uniqueStream("cond")
      const other = uniqueStream("cond-other")
      const query = Query.item({ tags: [tag] })
      const { marker } = yield* readQuery(query)
      const written = yield* EventStore.append(other, [
        { type: "Seen", data: {}, tags: [tag] },
        { type: "Seen", data: {}, tags: [tag] }
      ])
      const error = yield* Effect.flip(
        EventStore.append(id, [{ type: "Decided", data: {}, tags: [tag] }], {
          condition: { failIfEventsMatch: query, after: marker }
        })
      )
      assert.strictEqual(error._tag, "AppendConditionFailed")
      if (error._tag === "AppendConditionFailed") {
        const [first] = yield* readStreamAll(other)
        assert.isTrue(Position.Order(error.position, written.positions[0]!) === 0)
        assert.strictEqual(error.eventId, first!.id)
        assert.strictEqual(error.type, "Seen")
        assert.strictEqual(error.streamId, other)
      }
      assert.strictEqual(yield* EventStore.streamVersion(id), 0)
    })
  )

  it.effect("a condition passes when only other events came after the marker; after undefined is the start", () =>
    Effect.gen(function* () {
      const tag = uniqueTag("pass")
      const id = uniqueStream("pass")
      const query = Query.item({ types: ["Decided"], tags: [tag] })
      yield* EventStore.append(uniqueStream("pass-noise"), [
        { type: "Seen", data: {}, tags: [tag] },
        { type: "Decided", data: {}, tags: [uniqueTag("else")] }
      ])
      const result = yield* EventStore.append(id, [{ type: "Decided", data: {}, tags: [tag] }], {
        condition: { failIfEventsMatch: query, after: undefined }
      })
      assert.strictEqual(result.version, 1)
      const again = yield* Effect.flip(
        EventStore.append(id, [{ type: "Decided", data: {}, tags: [tag] }], {
          condition: { failIfEventsMatch: query, after: undefined }
        })
      )
      assert.strictEqual(again._tag, "AppendConditionFailed")
      const { marker } = yield* readQuery(query)
      const third = yield* EventStore.append(id, [{ type: "Decided", data: {}, tags: [tag] }], {
        condition: { failIfEventsMatch: query, after: marker }
      })
      assert.strictEqual(third.version, 2)
    })
  )

  it.effect("an empty query never fails a condition; Query.all fails on any later event", () =>
    Effect.gen(function* () {
      const id = uniqueStream("empty-query")
      yield* EventStore.append(uniqueStream("any"), [{ type: "Seen", data: {} }])
      const passed = yield* EventStore.append(id, [{ type: "Decided", data: {} }], {
        condition: { failIfEventsMatch: Query.none, after: Position.start }
      })
      assert.strictEqual(passed.version, 1)
      const failed = yield* Effect.flip(
        EventStore.append(id, [{ type: "Decided", data: {} }], {
          condition: { failIfEventsMatch: Query.all, after: Position.start }
        })
      )
      assert.strictEqual(failed._tag, "AppendConditionFailed")
      assert.strictEqual(yield* EventStore.streamVersion(id), 1)
    })
  )

  it.effect("appendMany writes several streams atomically: one failed expectation writes nothing", () =>
    Effect.gen(function* () {
      const a = uniqueStream("many-a")
      const b = uniqueStream("many-b")
      const results = yield* EventStore.appendMany([
        { streamId: a, events: [{ type: "Seen", data: { n: 1 } }], expectedVersion: ExpectedVersion.noStream },
        {
          streamId: b,
          events: [
            { type: "Seen", data: { n: 2 } },
            { type: "Seen", data: { n: 3 } }
          ]
        }
      ])
      assert.deepStrictEqual(
        results.map((r) => r.version),
        [1, 2]
      )
      assert.isTrue(increasing(results.flatMap((r) => r.positions)))
      const error = yield* Effect.flip(
        EventStore.appendMany([
          { streamId: a, events: [{ type: "Seen", data: { n: 4 } }] },
          { streamId: b, events: [{ type: "Seen", data: { n: 5 } }], expectedVersion: ExpectedVersion.exact(1) }
        ])
      )
      assert.strictEqual(error._tag, "WrongExpectedVersion")
      assert.strictEqual(yield* EventStore.streamVersion(a), 1)
      assert.strictEqual(yield* EventStore.streamVersion(b), 2)
      const twice = yield* Effect.flip(
        EventStore.appendMany([
          { streamId: a, events: [] },
          { streamId: a, events: [] }
        ])
      )
      assert.strictEqual(twice._tag, "InvalidArgument")
      const badEvent = yield* Effect.flip(
        EventStore.appendMany([
          { streamId: a, events: [{ type: "Seen", data: {} }] },
          { streamId: b, events: [{ type: "", data: {} }] }
        ])
      )
      assert.strictEqual(badEvent._tag, "InvalidEvent")
      assert.strictEqual(yield* EventStore.streamVersion(a), 1)
    })
  )

  it.effect("a conditional appendMany retried with its ids is a repeat: the first result, nothing written", () =>
    Effect.gen(function* () {
      const tag = uniqueTag("repeat")
      const a = uniqueStream("repeat-a")
      const b = uniqueStream("repeat-b")
      const query = Query.item({ tags: [tag] })
      const appends = [
        { streamId: a, events: [{ id: crypto.randomUUID(), type: "Seen", data: {}, tags: [tag] }] },
        { streamId: b, events: [{ id: crypto.randomUUID(), type: "Seen", data: {}, tags: [tag] }] }
      ]
      const { marker } = yield* readQuery(query)
      const condition = { failIfEventsMatch: query, after: marker }
      const first = yield* EventStore.appendMany(appends, { condition })
      const again = yield* EventStore.appendMany(appends, { condition })
      assert.deepStrictEqual(again, first)
      assert.strictEqual((yield* readQuery(query)).events.length, 2)
    })
  )

  it.effect("concurrent writers with overlapping conditions: exactly one commits, the others fail", () =>
    Effect.gen(function* () {
      const tag = uniqueTag("hot")
      const query = Query.item({ tags: [tag] })
      const results = yield* racing(
        Array.from({ length: 20 }, () => query),
        (marker, i) =>
          Effect.either(
            EventStore.appendMany(
              [{ streamId: uniqueStream(`hot-${i}`), events: [{ type: "Claimed", data: { i }, tags: [tag] }] }],
              { condition: { failIfEventsMatch: query, after: marker } }
            )
          )
      )
      assert.strictEqual(results.filter(Either.isRight).length, 1)
      for (const failed of results.filter(Either.isLeft)) assert.strictEqual(failed.left._tag, "AppendConditionFailed")
      assert.strictEqual((yield* readQuery(query)).events.length, 1)
    })
  )

  it.effect("concurrent writers with disjoint conditions all commit, at increasing positions (parallel writes)", () =>
    Effect.gen(function* () {
      const tags = Array.from({ length: 20 }, () => uniqueTag("disjoint"))
      const queries = tags.map((tag) => Query.item({ tags: [tag] }))
      const results = yield* racing(queries, (marker, i) =>
        EventStore.append(uniqueStream(`disjoint-${i}`), [{ type: "Claimed", data: { i }, tags: [tags[i]!] }], {
          condition: { failIfEventsMatch: queries[i]!, after: marker }
        })
      )
      assert.strictEqual(results.length, 20)
      const read = yield* readQuery(Query.items(tags.map((tag) => ({ tags: [tag] }))))
      assert.strictEqual(read.events.length, 20)
      assert.isTrue(increasing(read.events.map((e) => e.position)))
      for (const event of read.events) assert.isFalse(Position.isAfter(event.position, read.marker))
    })
  )

  it.effect("a decision is consistent: a claim read, decided and appended on its marker is taken once", () =>
    Effect.gen(function* () {
      const name = uniqueTag("username")
      const query = Query.item({ types: ["UsernameClaimed"], tags: [name] })
      const claim = (user: number) =>
        Effect.gen(function* () {
          const { events, marker } = yield* readQuery(query)
          if (events.length > 0) return false
          yield* EventStore.append(
            uniqueStream(`user-${user}`),
            [{ type: "UsernameClaimed", data: { user }, tags: [name] }],
            { condition: { failIfEventsMatch: query, after: marker } }
          )
          return true
        }).pipe(Effect.catchTag("AppendConditionFailed", () => Effect.succeed(false)))
      const claims = yield* Effect.all(
        Array.from({ length: 10 }, (_, i) => claim(i)),
        { concurrency: "unbounded" }
      )
      assert.strictEqual(claims.filter(Boolean).length, 1)
      assert.strictEqual((yield* readQuery(query)).events.length, 1)
    })
  )
}
