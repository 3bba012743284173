import { EventStore, ExpectedVersion } from "@chronicle/core"
import { assert, type Vitest } from "@effect/vitest"
import { Effect } from "effect"
import { readStreamAll, uniqueStream } from "./fixtures.js"

type It = Vitest.MethodsNonLive<EventStore.EventStore>

const withIds = (values: ReadonlyArray<number>) =>
  values.map((by) => ({ id: crypto.randomUUID(), type: "Incremented", data: { by } }))

/** Idempotent appends: repeats return the first result; conflicting repeats fail. */
export const idempotencyCases = (it: It) => {
  it.effect("appending the same ids again returns the original result and writes nothing", () =>
    Effect.gen(function* () {
      const id = uniqueStream("idempotent")
      yield* EventStore.append(id, withIds([0]))
      const batch = withIds([1, 2, 3])
      const first = yield* EventStore.append(id, batch, { expectedVersion: ExpectedVersion.exact(1) })
      yield* EventStore.append(id, withIds([4]))
      const again = yield* EventStore.append(id, batch, { expectedVersion: ExpectedVersion.exact(1) })
      assert.deepStrictEqual(again, first)
      const anyAgain = yield* EventStore.append(id, batch)
      assert.deepStrictEqual(anyAgain, first)
      const upper = batch.map((e) => ({ ...e, id: e.id.toUpperCase() }))
      assert.deepStrictEqual(yield* EventStore.append(id, upper), first)
      const events = yield* readStreamAll(id)
      assert.strictEqual(events.length, 5)
      assert.deepStrictEqual(
        events.slice(1, 4).map((e) => e.id),
        batch.map((e) => e.id)
      )
    })
  )

  it.effect("a repeat is recognised by the data's JSON form, as the store keeps it", () =>
    Effect.gen(function* () {
      const id = uniqueStream("json-repeat")
      const batch = [
        { id: crypto.randomUUID(), type: "Noted", data: { n: Number.NaN, at: new Date(5), list: [undefined] } }
      ]
      const first = yield* EventStore.append(id, batch)
      assert.deepStrictEqual(yield* EventStore.append(id, batch), first)
      assert.strictEqual(yield* EventStore.streamVersion(id), 1)
    })
  )

  it.effect("the same id with a different payload fails with DuplicateEventId", () =>
    Effect.gen(function* () {
      const id = uniqueStream("duplicate")
      const [event] = withIds([1])
      yield* EventStore.append(id, [event!])
      const error = yield* Effect.flip(EventStore.append(id, [{ ...event!, data: { by: 2 } }]))
      assert.strictEqual(error._tag, "DuplicateEventId")
      if (error._tag === "DuplicateEventId") assert.strictEqual(error.eventId, event!.id)
      const typeChanged = yield* Effect.flip(EventStore.append(id, [{ ...event!, type: "Noted" }]))
      assert.strictEqual(typeChanged._tag, "DuplicateEventId")
      assert.strictEqual(yield* EventStore.streamVersion(id), 1)
    })
  )

  it.effect("a batch that mixes stored ids with new ones, or reorders them, fails and writes nothing", () =>
    Effect.gen(function* () {
      const id = uniqueStream("mixed")
      const batch = withIds([1, 2, 3])
      yield* EventStore.append(id, batch)
      const mixedTail = yield* Effect.flip(EventStore.append(id, [...withIds([9]), batch[1]!]))
      assert.strictEqual(mixedTail._tag, "DuplicateEventId")
      const mixedHead = yield* Effect.flip(EventStore.append(id, [batch[2]!, ...withIds([9])]))
      assert.strictEqual(mixedHead._tag, "DuplicateEventId")
      const reordered = yield* Effect.flip(EventStore.append(id, [batch[1]!, batch[0]!]))
      assert.strictEqual(reordered._tag, "DuplicateEventId")
      assert.strictEqual(yield* EventStore.streamVersion(id), 3)
      const subset = yield* EventStore.append(id, [batch[1]!, batch[2]!])
      assert.strictEqual(subset.version, 3)
    })
  )

  it.effect("an id the store generated counts too: re-appending a read event is a repeat", () =>
    Effect.gen(function* () {
      const id = uniqueStream("generated")
      const first = yield* EventStore.append(id, [{ type: "Incremented", data: { by: 1 } }])
      yield* EventStore.append(id, [{ type: "Incremented", data: { by: 2 } }])
      const [stored] = yield* readStreamAll(id)
      const again = yield* EventStore.append(id, [{ id: stored!.id, type: stored!.type, data: stored!.data }])
      assert.deepStrictEqual(again, first)
      const changed = yield* Effect.flip(
        EventStore.append(id, [{ id: stored!.id, type: "Incremented", data: { by: 9 } }])
      )
      assert.strictEqual(changed._tag, "DuplicateEventId")
      assert.strictEqual(yield* EventStore.streamVersion(id), 2)
    })
  )

  it.effect("event ids are unique per stream: the same id may be stored in another stream", () =>
    Effect.gen(function* () {
      const batch = withIds([1])
      const a = yield* EventStore.append(uniqueStream("ids-a"), batch)
      const b = yield* EventStore.append(uniqueStream("ids-b"), batch)
      assert.strictEqual(a.version, 1)
      assert.strictEqual(b.version, 1)
      assert.notDeepEqual(a.positions, b.positions)
    })
  )
}
