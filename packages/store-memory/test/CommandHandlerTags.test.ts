// CommandHandler's `tagsOf`: a decider-based handler tags the events it appends, so reads by query and decision models
// find them; bad tags fail the command with `InvalidEvent` and write nothing.
import { CommandHandler, Decider, EventCodec, EventStore, Query } from "@chronicle/core"
import { InMemoryEventStore } from "@chronicle/store-memory"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Either, Schema, Stream } from "effect"

const Noted = Schema.TaggedStruct("Noted", { topic: Schema.String })
type Noted = typeof Noted.Type
const codec = EventCodec.make(Noted)
const notes = Decider.make({
  initialState: 0,
  decide: (topic: string, _count: number) => Either.right([Noted.make({ topic })]),
  evolve: (count: number, _event: Noted) => count + 1
})
const tagsOf = (event: Noted, streamId: string) => [`topic:${event.topic}`, `stream:${streamId}`]

const matching = (query: Query.Query) =>
  Effect.flatMap(EventStore.read(query), ({ events }) => Effect.map(Stream.runCollect(events), Chunk.toReadonlyArray))

describe("CommandHandler tagsOf", () => {
  it.effect("tags every appended event with the event's and the stream's tags", () =>
    Effect.gen(function* () {
      const handler = CommandHandler.make({ decider: notes, codec, tagsOf })
      yield* handler.handle("notes-1", "red")
      yield* handler.handle("notes-2", "red")
      yield* handler.handle("notes-2", "blue")
      const red = yield* matching(Query.item({ tags: ["topic:red"] }))
      assert.deepStrictEqual(
        red.map((event) => event.streamId),
        ["notes-1", "notes-2"]
      )
      assert.deepStrictEqual(red[1]!.tags, ["topic:red", "stream:notes-2"])
      const second = yield* matching(Query.item({ tags: ["stream:notes-2"] }))
      assert.strictEqual(second.length, 2)
    }).pipe(Effect.provide(InMemoryEventStore.layer))
  )

  it.effect("without tagsOf, events carry no tags", () =>
    Effect.gen(function* () {
      yield* CommandHandler.make({ decider: notes, codec }).handle("plain-1", "red")
      const [event] = yield* EventStore.readStream("plain-1").pipe(Stream.runCollect, Effect.map(Chunk.toArray))
      assert.deepStrictEqual(event!.tags, [])
    }).pipe(Effect.provide(InMemoryEventStore.layer))
  )

  it.effect("a bad tag fails the command with InvalidEvent and writes nothing", () =>
    Effect.gen(function* () {
      const handler = CommandHandler.make({ decider: notes, codec, tagsOf: () => [""] })
      const error = yield* Effect.flip(handler.handle("bad-1", "red"))
      assert.strictEqual(error._tag, "InvalidEvent")
      assert.strictEqual(yield* EventStore.streamVersion("bad-1"), 0)
    }).pipe(Effect.provide(InMemoryEventStore.layer))
  )
})
