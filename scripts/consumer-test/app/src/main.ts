// A small program on Chronicle, as the README's "Add Chronicle to your app" shows it: a decider of its own and the
// BankAccount domain, run on the in-memory store, on a SQLite file (the path in the first argument) and, when a
// second argument gives one, on a PostgreSQL database (its URL).
import { BankAccount } from "@chronicle/bank-account"
import { CommandHandler, Decider, EventCodec } from "@chronicle/core"
import { InMemoryEventStore } from "@chronicle/store-memory"
import { PostgresEventStore } from "@chronicle/store-postgres"
import { SqliteEventStore } from "@chronicle/store-sqlite"
import { Effect, Either, Schema } from "effect"

const ItemAdded = Schema.TaggedStruct("ItemAdded", { item: Schema.String })
class AlreadyListed extends Schema.TaggedError<AlreadyListed>()("AlreadyListed", { item: Schema.String }) {}

const shoppingList = Decider.make({
  initialState: [] as ReadonlyArray<string>,
  decide: (command: { readonly add: string }, items: ReadonlyArray<string>) =>
    items.includes(command.add)
      ? Either.left(new AlreadyListed({ item: command.add }))
      : Either.right([ItemAdded.make({ item: command.add })]),
  evolve: (items: ReadonlyArray<string>, event: typeof ItemAdded.Type) => [...items, event.item]
})
const lists = CommandHandler.make({ decider: shoppingList, codec: EventCodec.make(ItemAdded) })

const program = Effect.gen(function* () {
  yield* lists.handle("list-1", { add: "milk" })
  const listed = yield* lists.handle("list-1", { add: "eggs" })
  const account = BankAccount.streamId("ACC-001")
  const open = BankAccount.OpenAccount.make({ accountId: "ACC-001", ownerName: "Jane Doe", openedAt: new Date(0) })
  yield* BankAccount.handler.handle(account, open)
  const paid = yield* BankAccount.handler.handle(account, BankAccount.Deposit.make({ amount: 2500 }))
  const balance = paid.state._tag === "Active" ? paid.state.balance : 0
  return `list ${listed.state.join(", ")} at version ${listed.version}, balance ${balance} at version ${paid.version}`
})

const filename = process.argv[2] ?? "chronicle.db"
console.log(`memory: ${await Effect.runPromise(program.pipe(Effect.provide(InMemoryEventStore.layer)))}`)
console.log(`sqlite: ${await Effect.runPromise(program.pipe(Effect.provide(SqliteEventStore.layer({ filename }))))}`)
const url = process.argv[3]
if (url !== undefined) {
  console.log(`postgres: ${await Effect.runPromise(program.pipe(Effect.provide(PostgresEventStore.layer({ url }))))}`)
}
