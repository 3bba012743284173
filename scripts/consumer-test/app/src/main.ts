// A small program on Chronicle, as the README's "Add Chronicle to your app" shows it: a decider of its own and the
// BankAccount domain, run on the in-memory store and on a SQLite file (the path in the first argument).
import { BankAccount } from "@chronicle/bank-account"
import { CommandHandler, Decider, EventCodec } from "@chronicle/core"
import { InMemoryEventStore } from "@chronicle/store-memory"
import { SqliteEventStore } from "@chronicle/store-sqlite"
import { Effect, Either, Schema } from "effect"

const Incremented = Schema.TaggedStruct("Incremented", { by: Schema.Number })
class LimitReached extends Schema.TaggedError<LimitReached>()("LimitReached", { total: Schema.Number }) {}

const counter = Decider.make({
  initialState: 0,
  decide: (command: { readonly by: number }, total: number) =>
    total + command.by > 100
      ? Either.left(new LimitReached({ total }))
      : Either.right([Incremented.make({ by: command.by })]),
  evolve: (total: number, event: typeof Incremented.Type) => total + event.by
})
const counters = CommandHandler.make({ decider: counter, codec: EventCodec.make(Incremented) })

const program = Effect.gen(function* () {
  yield* counters.handle("counter-1", { by: 2 })
  const counted = yield* counters.handle("counter-1", { by: 5 })
  const account = BankAccount.streamId("ACC-001")
  const open = BankAccount.OpenAccount.make({ accountId: "ACC-001", ownerName: "Jane Doe", openedAt: new Date(0) })
  yield* BankAccount.handler.handle(account, open)
  const paid = yield* BankAccount.handler.handle(account, BankAccount.Deposit.make({ amount: 2500 }))
  const balance = paid.state._tag === "Active" ? paid.state.balance : 0
  return `counter ${counted.state} at version ${counted.version}, balance ${balance} at version ${paid.version}`
})

const filename = process.argv[2] ?? "chronicle.db"
console.log(`memory: ${await Effect.runPromise(program.pipe(Effect.provide(InMemoryEventStore.layer)))}`)
console.log(`sqlite: ${await Effect.runPromise(program.pipe(Effect.provide(SqliteEventStore.layer({ filename }))))}`)
