import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { BankAccount } from "@chronicle/bank-account"
import type { EventStore } from "@chronicle/core"
import { InMemoryEventStore } from "@chronicle/store-memory"
import { SqliteEventStore } from "@chronicle/store-sqlite"
import { assert, describe, it } from "@effect/vitest"
import { type Console, Effect, Layer } from "effect"
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
    yield* Demo.run.pipe(Effect.provide(BankAccount.layer.pipe(Layer.provideMerge(store))), Effect.withConsole(console))
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
      assert.include(second, "ACC-001 after both: balance $2,500.00, version 15")
      assert.include(second, "Total in bank: $6,250.00")
    }).pipe(Effect.scoped)
  )
})
