// The bank's decisions across accounts, pure: transfers, unique account numbers, the daily withdrawal limit; and the
// tags the account handler gives its events (given/when/then on the decider).
import { Bank, BankAccount, Money } from "@chronicle/bank-account"
import { DeciderSpec } from "@chronicle/testkit"
import { assert, describe, it } from "@effect/vitest"
import { Either } from "effect"

const cents = Money.unsafeMake
const openedAt = new Date("2024-01-02T03:04:05.000Z")
const active = (accountId: string, balance: number): BankAccount.State => ({
  _tag: "Active",
  accountId,
  ownerName: "Jane",
  balance: cents(balance)
})
const notOpened: BankAccount.State = BankAccount.initialState
const closed: BankAccount.State = { _tag: "Closed", accountId: "C", ownerName: "Jane", balance: cents(0), reason: "r" }
const transfer = (from: string, to: string, amount: number) => BankAccount.TransferMoney.make({ from, to, amount })
const withdraw = (amount: number, day = "2024-03-01", customerId = "CUST-1") =>
  BankAccount.WithdrawWithinLimit.make({ accountId: "A", customerId, amount, day })
const within = Bank.decideWithdraw(cents(1_000))
const errorOf = <A, E extends { readonly _tag: string }>(decision: Either.Either<A, E>) =>
  Either.isLeft(decision) ? decision.left._tag : "decided"

describe("Bank.decideTransfer", () => {
  it("withdraws from one account and deposits into the other, in one decision", () => {
    const decided = Bank.decideTransfer(transfer("A", "B", 300), { from: active("A", 500), to: active("B", 20) })
    assert.deepStrictEqual(Either.getOrThrow(decided), [
      { streamId: "BankAccount-A", events: [{ _tag: "MoneyWithdrawn", amount: cents(300), balanceAfter: cents(200) }] },
      { streamId: "BankAccount-B", events: [{ _tag: "MoneyDeposited", amount: cents(300), balanceAfter: cents(320) }] }
    ])
  })

  it("refuses what the source does not hold, a closed or missing account, itself, a bad amount", () => {
    const cases: ReadonlyArray<
      readonly [typeof BankAccount.TransferMoney.Type, BankAccount.State, BankAccount.State, string]
    > = [
      [transfer("A", "B", 501), active("A", 500), active("B", 0), "InsufficientFunds"],
      [transfer("A", "B", 1), active("A", 500), closed, "AccountNotActive"],
      [transfer("A", "B", 1), notOpened, active("B", 0), "AccountNotFound"],
      [transfer("A", "A", 1), active("A", 500), active("A", 500), "SameAccount"],
      [transfer("A", "B", -5), active("A", 500), active("B", 0), "InvalidAmount"],
      [transfer("", "B", 5), active("A", 500), active("B", 0), "InvalidAccountId"]
    ]
    for (const [command, from, to, error] of cases)
      assert.strictEqual(errorOf(Bank.decideTransfer(command, { from, to })), error)
  })
})

describe("Bank.decideOpen", () => {
  const open = BankAccount.OpenAccount.make({
    accountId: "A",
    ownerName: "Jane",
    openedAt,
    customerId: "CUST-1",
    accountNumber: "0001"
  })

  it("opens under a free number, naming the customer and the number", () => {
    const [append] = Either.getOrThrow(Bank.decideOpen(open, { account: notOpened, numberTaken: false }))
    assert.deepStrictEqual(append!.events, [
      {
        _tag: "AccountOpened",
        accountId: "A",
        ownerName: "Jane",
        openedAt,
        customerId: "CUST-1",
        accountNumber: "0001"
      }
    ])
    assert.deepStrictEqual(BankAccount.tagsOf(append!.events[0]!, "A"), [
      "account:A",
      "customer:CUST-1",
      "accountNumber:0001"
    ])
  })

  it("refuses a taken number, an open account, and an opening without a customer or a number", () => {
    assert.strictEqual(errorOf(Bank.decideOpen(open, { account: notOpened, numberTaken: true })), "AccountNumberTaken")
    assert.strictEqual(
      errorOf(Bank.decideOpen(open, { account: active("A", 0), numberTaken: false })),
      "AccountAlreadyOpened"
    )
    const { accountNumber: _, ...unnumbered } = open
    assert.strictEqual(
      errorOf(Bank.decideOpen(unnumbered, { account: notOpened, numberTaken: false })),
      "InvalidCommand"
    )
  })
})

describe("Bank.decideWithdraw", () => {
  const state = (withdrawn: number, customer: string | undefined = "CUST-1") => ({
    account: active("A", 5_000),
    customer,
    withdrawn
  })

  it("withdraws up to the limit, recording the customer and the day", () => {
    const [append] = Either.getOrThrow(within(withdraw(400), state(600)))
    const event = append!.events[0]!
    assert.deepStrictEqual(event, {
      _tag: "MoneyWithdrawn",
      amount: cents(400),
      balanceAfter: cents(4_600),
      customerId: "CUST-1",
      day: "2024-03-01"
    })
    assert.deepStrictEqual(BankAccount.tagsOf(event, "A"), ["account:A", "customer:CUST-1", "day:2024-03-01"])
  })

  it("refuses past the limit, with what was withdrawn that day", () => {
    const decided = within(withdraw(401), state(600))
    assert.isTrue(Either.isLeft(decided))
    if (Either.isLeft(decided)) {
      assert.deepStrictEqual(
        decided.left,
        new BankAccount.DailyLimitExceeded({
          customerId: "CUST-1",
          day: "2024-03-01",
          limit: cents(1_000),
          withdrawn: cents(600),
          amount: cents(401)
        })
      )
    }
  })

  it("refuses another customer's account, a bad day, a missing account, more than the balance", () => {
    assert.strictEqual(errorOf(within(withdraw(1), state(0, "CUST-2"))), "CustomerMismatch")
    assert.strictEqual(errorOf(within(withdraw(1), { ...state(0), customer: undefined })), "CustomerMismatch")
    for (const day of ["2024-3-1", "yesterday", "2024-13-45"]) {
      assert.strictEqual(errorOf(within(withdraw(1, day), state(0))), "InvalidDate")
    }
    assert.strictEqual(errorOf(within(withdraw(1), { ...state(0), account: notOpened })), "AccountNotFound")
    const poor = { ...state(0), account: active("A", 10) }
    assert.strictEqual(errorOf(within(withdraw(11), poor)), "InsufficientFunds")
  })
})

describe("BankAccount opening for a customer under a number (given/when/then)", () => {
  const spec = DeciderSpec.make(BankAccount.decider)
  it("records the customer and the number; refuses blank ones", () => {
    const command = {
      _tag: "OpenAccount",
      accountId: "A",
      ownerName: "Jane",
      openedAt,
      customerId: "C",
      accountNumber: "7"
    } as const
    spec
      .given([])
      .when(command)
      .then([{ ...command, _tag: "AccountOpened" }])
    spec
      .given([])
      .when({ ...command, customerId: " " })
      .thenFails(new BankAccount.InvalidCommand({ reason: "the customerId must be non-blank text" }))
  })
})
