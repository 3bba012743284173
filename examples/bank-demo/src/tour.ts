import { CommandHandler, Decider, EventCodec, EventStore } from "@chronicle/core"
import { SqliteEventStore } from "@chronicle/store-sqlite"
import { Effect, Either, Schema, Stream } from "effect"

// 1. Events: a Schema union of tagged structs (the storage contract).
const Incremented = Schema.TaggedStruct("Incremented", { by: Schema.Number })
const Event = Schema.Union(Incremented)

// 2. A pure decider: decide(command, state) -> Either<events, error>, evolve(state, event) -> state.
class LimitReached extends Schema.TaggedError<LimitReached>()("LimitReached", { total: Schema.Number }) {}
const counter = Decider.make({
  initialState: 0,
  decide: (command: { readonly by: number }, total: number) =>
    total + command.by > 100
      ? Either.left(new LimitReached({ total }))
      : Either.right([Incremented.make({ by: command.by })]),
  evolve: (total: number, event: typeof Event.Type) => total + event.by
})

// 3. A command handler: load -> decide -> append at the loaded version, retrying on conflicts.
const handler = CommandHandler.make({ decider: counter, codec: EventCodec.make(Event) })

const program = Effect.gen(function* () {
  const result = yield* handler.handle("counter-1", { by: 5 })
  console.log(`state ${result.state} at version ${result.version}`)
  // Every event, in global order, decoded:
  yield* EventStore.readAll().pipe(
    Stream.runForEach((event) => Effect.log(`#${event.position} ${event.streamId} v${event.version} ${event.type}`))
  )
})

// 4. Pick a store: SQLite on a file (or InMemoryEventStore.layer in tests).
program.pipe(Effect.provide(SqliteEventStore.layer({ filename: "counter.db" })), Effect.runPromise)
