import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { BankAccount } from "@chronicle/bank-account"
import { handlerLawsSuite } from "@chronicle/testkit/vitest"
import { afterAll } from "@effect/vitest"
import { FastCheck } from "effect"
import { SqliteEventStore } from "../src/index.js"

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chronicle-sqlite-laws-"))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

/** One account's life: opened (once or again), deposits and withdrawals that may overdraw, closings. */
const amount = FastCheck.integer({ min: 1, max: 500 })
const command: FastCheck.Arbitrary<BankAccount.Command> = FastCheck.oneof(
  FastCheck.constant(BankAccount.OpenAccount.make({ accountId: "ACC-001", ownerName: "Jane", openedAt: new Date(0) })),
  amount.map((a) => BankAccount.Deposit.make({ amount: a })),
  amount.map((a) => BankAccount.Withdraw.make({ amount: a })),
  FastCheck.constant(BankAccount.CloseAccount.make({ reason: "moving", closedAt: new Date(1) }))
)

handlerLawsSuite(
  "BankAccount on SqliteEventStore.layer (file)",
  SqliteEventStore.layer({ filename: path.join(dir, "laws.db") }),
  {
    decider: BankAccount.decider,
    codec: BankAccount.codec,
    command
  }
)
