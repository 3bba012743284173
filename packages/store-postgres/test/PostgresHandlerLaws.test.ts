import { BankAccount } from "@chronicle/bank-account"
import { testDatabase } from "@chronicle/postgres-server/vitest"
import { handlerLawsSuite } from "@chronicle/testkit/vitest"
import { FastCheck, Layer } from "effect"
import { PostgresEventStore } from "../src/index.js"

const url = await testDatabase("laws")

/** One account's life: opened (once or again), deposits and withdrawals that may overdraw, closings. */
const amount = FastCheck.integer({ min: 1, max: 500 })
const command: FastCheck.Arbitrary<BankAccount.Command> = FastCheck.oneof(
  FastCheck.constant(BankAccount.OpenAccount.make({ accountId: "ACC-001", ownerName: "Jane", openedAt: new Date(0) })),
  amount.map((a) => BankAccount.Deposit.make({ amount: a })),
  amount.map((a) => BankAccount.Withdraw.make({ amount: a })),
  FastCheck.constant(BankAccount.CloseAccount.make({ reason: "moving", closedAt: new Date(1) }))
)

handlerLawsSuite(
  "BankAccount on PostgresEventStore.layer",
  Layer.suspend(() => PostgresEventStore.layer({ url })),
  { decider: BankAccount.decider, codec: BankAccount.codec, command }
)
