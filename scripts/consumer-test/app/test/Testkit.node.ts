// The testkit from node:test, with no vitest loaded: specifications throw node's AssertionError, laws return Effects.
import { AssertionError } from "node:assert"
import * as assert from "node:assert/strict"
import { test } from "node:test"
import { BankAccount } from "@chronicle/bank-account"
import { SqliteEventStore } from "@chronicle/store-sqlite"
import { DeciderLaws, HandlerLaws } from "@chronicle/testkit"
import { Effect } from "effect"
import { deposit, deposited, laws, opened, spec } from "./BankAccountCases.js"

test("a deposit into an open account is recorded", () => {
  spec.given([opened]).when(deposit).then([deposited])
})

test("a wrong expectation fails with an AssertionError", () => {
  assert.throws(() => spec.given([]).when(deposit).then([deposited]), AssertionError)
})

test("BankAccount keeps the decider laws", () => {
  DeciderLaws.check({ decider: BankAccount.decider, codec: BankAccount.codec, command: laws.command, numRuns: 50 })
})

test("BankAccount keeps the handler laws on SQLite", () =>
  Effect.runPromise(HandlerLaws.check(laws).pipe(Effect.provide(SqliteEventStore.layer({ filename: ":memory:" })))))
