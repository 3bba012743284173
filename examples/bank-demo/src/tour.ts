import { BankAccount, Money } from "@chronicle/bank-account"
import { CommandHandler, Decider, EventCodec, EventStore } from "@chronicle/core"
import { SqliteEventStore } from "@chronicle/store-sqlite"
import { Context, Effect, Either, Layer, Schema, Stream } from "effect"

// 1. Events: a Schema union of tagged structs (the storage contract).
const Incremented = Schema.TaggedStruct("Incremented", { by: Schema.Number })
const Event = Schema.Union(Incremented)

// 2. A pure decider: decide(command, state) -> Either<events, error>, evolve(state, event) -> state.
//    Its error type is inferred from every branch: NotPositive | LimitReached, no annotation needed.
class NotPositive extends Schema.TaggedError<NotPositive>()("NotPositive", { by: Schema.Number }) {}
class LimitReached extends Schema.TaggedError<LimitReached>()("LimitReached", { total: Schema.Number }) {}
const counter = Decider.make({
  initialState: 0,
  decide: (command: { readonly by: number }, total: number) => {
    if (command.by <= 0) return Either.left(new NotPositive({ by: command.by }))
    if (total + command.by > 100) return Either.left(new LimitReached({ total }))
    return Either.right([Incremented.make({ by: command.by })])
  },
  evolve: (total: number, event: typeof Event.Type) => total + event.by
})

// 3. A command handler: load -> decide -> append at the loaded version, retrying on conflicts.
const handler = CommandHandler.make({ decider: counter, codec: EventCodec.make(Event) })

// 4. The aggregate's face: a service whose methods take a counter's id. The stream id is derived here, once, so no
//    caller assembles one (BankAccount.BankAccount is the same for bank accounts).
class Counters extends Context.Tag("Counters")<
  Counters,
  {
    readonly add: (
      counterId: string,
      by: number
    ) => Effect.Effect<number, CommandHandler.HandleError<NotPositive | LimitReached>>
  }
>() {}
const countersLayer = Layer.effect(
  Counters,
  Effect.map(EventStore.EventStore, (store) => ({
    add: (counterId: string, by: number) =>
      handler.handle(`Counter-${counterId}`, { by }).pipe(
        Effect.map((result) => result.state),
        Effect.provideService(EventStore.EventStore, store)
      )
  }))
)

const program = Effect.gen(function* () {
  const counters = yield* Counters
  // A typed domain error, handled: past the limit, the counter stays where it is.
  const stays = (limit: LimitReached) => Effect.succeed(limit.total)
  const total = yield* counters.add("1", 5).pipe(Effect.catchTag("LimitReached", stays))
  console.log(`counter 1 at ${total}`)
  const accounts = yield* BankAccount.BankAccount
  yield* accounts.open("ACC-TOUR", "Ada").pipe(Effect.catchTag("AccountAlreadyOpened", () => Effect.void))
  const deposited = yield* accounts.deposit("ACC-TOUR", 2_500)
  console.log(`ACC-TOUR holds ${Money.format(BankAccount.balanceOf(deposited.state))} at version ${deposited.version}`)
  // Every event, in global order, decoded:
  yield* EventStore.readAll().pipe(
    Stream.runForEach((event) => Effect.log(`#${event.position} ${event.streamId} v${event.version} ${event.type}`))
  )
})

// 5. Pick a store: SQLite on a file (or InMemoryEventStore.layer in tests), and the services over it.
const services = Layer.mergeAll(countersLayer, BankAccount.layer)
program.pipe(
  Effect.provide(services.pipe(Layer.provideMerge(SqliteEventStore.layer({ filename: "counter.db" })))),
  Effect.runPromise
)
