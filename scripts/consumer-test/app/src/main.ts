// A small program on Chronicle, as the README's "Add Chronicle to your app" shows it: a decider of its own and the
// BankAccount domain, run on the in-memory store, on a SQLite file (the path in the first argument) and, when a
// second argument gives one, on a PostgreSQL database (its URL); then the HTTP API (@chronicle/http) on a free port
// over the in-memory store, appended to and read through the typed client.
import { BankAccount } from "@chronicle/bank-account"
import { CommandHandler, Decider, EventCodec } from "@chronicle/core"
import { ChronicleClient, Server } from "@chronicle/http"
import { InMemoryCheckpointStore, InMemoryEventStore } from "@chronicle/store-memory"
import { PostgresEventStore } from "@chronicle/store-postgres"
import { SqliteEventStore } from "@chronicle/store-sqlite"
import { FetchHttpClient, HttpServer } from "@effect/platform"
import { Effect, Either, Layer, Schema } from "effect"

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

const overHttp = Effect.gen(function* () {
  const server = yield* HttpServer.HttpServer
  const { port } = server.address as HttpServer.TcpAddress
  const client = yield* ChronicleClient.make(`http://127.0.0.1:${port}`)
  const events = ["tea", "jam"].map((item) => ({ type: "ItemAdded", data: { _tag: "ItemAdded", item } }))
  const appended = yield* client.streams.appendToStream({
    path: { streamId: "list-2" },
    headers: {},
    payload: { events }
  })
  const read = yield* client.streams.readStream({ path: { streamId: "list-2" }, urlParams: {} })
  const items = read.events.map((event) => (event.data as { readonly item: string }).item)
  return `appended ${appended.positions.length} events, read ${items.join(", ")} at version ${read.version}`
}).pipe(
  Effect.provide(Server.layer({ port: 0 })),
  Effect.provide(Layer.merge(InMemoryEventStore.layer, InMemoryCheckpointStore.layer)),
  Effect.provide(FetchHttpClient.layer)
)
console.log(`http: ${await Effect.runPromise(overHttp)}`)
