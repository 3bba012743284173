/**
 * `pnpm demo`: the bank demonstration on a SQLite file (default), a file you name (`--db PATH`), a PostgreSQL database
 * (`--pg URL`, or `CHRONICLE_PG_URL`), or in memory (`--memory`). `--fresh` deletes the file first; without it a second
 * run continues the history. Mistakes on the command line and unusable files or servers are one line on stderr and a
 * non-zero exit (see `@chronicle/example-cli`).
 *
 * @since 0.1.0
 */
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { Bank, BankAccount } from "@chronicle/bank-account"
import type { EventStore } from "@chronicle/core"
import { CommandLine, Program, Storage } from "@chronicle/example-cli"
import { InMemoryEventStore } from "@chronicle/store-memory"
import { PostgresEventStore } from "@chronicle/store-postgres"
import { SqliteEventStore } from "@chronicle/store-sqlite"
import { Console, Effect, Layer } from "effect"
import * as Decisions from "./Decisions.js"
import * as Demo from "./Demo.js"

const defaults = {
  directory: path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", ".chronicle"),
  name: "bank-demo.db"
}

const commandLine = CommandLine.make({
  name: "demo",
  usage: "npx -y pnpm@10.34.8 demo [--fresh] [--db PATH | --pg URL | --memory]",
  summary:
    "The bank demonstration on Chronicle: two accounts, deposits and withdrawals, a rule the domain enforces, the " +
    "event stream,\nthe balance read model, an account reloaded from its events, and a concurrency conflict " +
    "resolved by the retrying handler.\nIts events go to a SQLite file (or PostgreSQL), so a second run continues the " +
    "history.",
  flags: {
    ...Storage.flags("examples/bank-demo/.chronicle/bank-demo.db"),
    memory: CommandLine.toggle("run on the in-memory store: nothing is kept")
  },
  exclusive: [
    ["memory", "fresh", "the in-memory store starts empty on every run"],
    ["memory", "db", "the in-memory store keeps no file"],
    ["memory", "pg", "the in-memory store keeps no database"],
    ...Storage.exclusive
  ],
  notes: ["CHRONICLE_DATA_DIR=DIR keeps the default file in DIR instead.", Storage.note]
})

/** The store, and the `BankAccount` and `Bank` services over it. */
const withAccounts = <E>(store: Layer.Layer<EventStore.EventStore, E>) =>
  Layer.merge(BankAccount.layer, Bank.layer({ dailyLimit: Decisions.dailyLimit })).pipe(Layer.provideMerge(store))

Program.main(commandLine, (values) =>
  values.memory
    ? Console.log("Store: in memory (nothing is kept)").pipe(
        Effect.zipRight(Demo.run),
        Effect.provide(withAccounts(InMemoryEventStore.layer))
      )
    : Storage.use(
        values,
        defaults,
        {
          sqlite: (filename) => withAccounts(SqliteEventStore.layer({ filename })),
          postgres: (url) => withAccounts(PostgresEventStore.layer({ url }))
        },
        Demo.run
      )
)
