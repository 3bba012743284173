// The testkit from vitest: the conformance suite, the handler laws as a suite, a decider specification.
import { InMemoryEventStore } from "@chronicle/store-memory"
import { SqliteEventStore } from "@chronicle/store-sqlite"
import { eventStoreSuite, handlerLawsSuite } from "@chronicle/testkit/vitest"
import { describe, it } from "@effect/vitest"
import { deposit, deposited, laws, opened, spec } from "./BankAccountCases.js"

eventStoreSuite("in memory", InMemoryEventStore.layer)

handlerLawsSuite("BankAccount on SQLite", SqliteEventStore.layer({ filename: ":memory:" }), laws)

describe("BankAccount", () => {
  it("records a deposit into an open account", () => {
    spec.given([opened]).when(deposit).then([deposited])
  })
})
