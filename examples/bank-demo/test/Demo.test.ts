import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Bank, BankAccount } from "@chronicle/bank-account"
import type { EventStore } from "@chronicle/core"
import { InMemoryEventStore } from "@chronicle/store-memory"
import { SqliteEventStore } from "@chronicle/store-sqlite"
import { assert, describe, it } from "@effect/vitest"
import { type Console, Effect, Layer } from "effect"
import * as Decisions from "../src/Decisions.js"
import * as Demo from "../src/Demo.js"

/** Runs the demo and returns what it printed. */
const printed = <E>(store: Layer.Layer<EventStore.EventStore, E>) =>
  Effect.gen(function* () {
    const lines: Array<string> = []
    const base = yield* Effect.console
    const console: Console.Console = {
      ...base,
      log: (...args: ReadonlyArray<unknown>) => Effect.sync(() => void lines.push(args.join(" ")))
    }
    const services = Layer.merge(BankAccount.layer, Bank.layer({ dailyLimit: Decisions.dailyLimit }))
    yield* Demo.run.pipe(Effect.provide(services.pipe(Layer.provideMerge(store))), Effect.withConsole(console))
    return lines.join("\n")
  })

describe("bank demo", () => {
  it.effect("tells the original design's story on the in-memory store", () =>
    Effect.gen(function* () {
      const out = yield* printed(InMemoryEventStore.layer)
      assert.include(out, "Opened ACC-001 for John Doe")
      assert.include(out, "Withdraw     $200.00  -> balance $1,000.00 (v5)")
      assert.include(out, "rejected: InsufficientFunds")
      assert.include(out, "  version 5, position 5: MoneyWithdrawn")
      assert.include(out, "Total in bank: $3,000.00")
      assert.include(out, "Reloaded ACC-001: Active, balance $1,000.00, version 5")
      assert.include(out, "conflict detected")
      assert.include(out, "ACC-001 after both: balance $1,250.00, version 8")
      assert.include(out, "both accounts appended at once (2 streams)\n  ACC-001 $1,500.00, ACC-002 $1,750.00")
      assert.include(out, "Open ACC-003 under account number 1001 (ACC-001's): refused, AccountNumberTaken")
      assert.include(out, "CUST-2 withdraws $600.00 from ACC-002: done")
      assert.include(out, "CUST-2 withdraws $500.00 from ACC-002: refused, DailyLimitExceeded ($600.00 withdrawn")
    })
  )

  it.effect("runs twice on one SQLite file, the second run continuing the history", () =>
    Effect.gen(function* () {
      const dir = mkdtempSync(join(tmpdir(), "chronicle-demo-"))
      yield* Effect.addFinalizer(() => Effect.sync(() => rmSync(dir, { recursive: true, force: true })))
      const store = SqliteEventStore.layer({ filename: join(dir, "demo.db") })
      const first = yield* printed(store)
      assert.include(first, "ACC-001 after both: balance $1,250.00, version 8")
      const second = yield* printed(store)
      assert.include(second, "ACC-001 exists already")
      assert.include(second, "ACC-001 after both: balance $2,750.00, version 16")
      assert.include(second, "Total in bank: $5,650.00")
      // The day's withdrawals of the first run count: the same day, the limit is reached already.
      assert.include(second, "CUST-2 withdraws $600.00 from ACC-002: refused, DailyLimitExceeded ($600.00 withdrawn")
    }).pipe(Effect.scoped)
  )
})
