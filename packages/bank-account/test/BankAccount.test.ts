import { BankAccount, Money } from "@chronicle/bank-account"
import { DeciderSpec } from "@chronicle/testkit"
import { assert, describe, it } from "@effect/vitest"
import { Either, Option } from "effect"

const spec = DeciderSpec.make(BankAccount.decider)
const cents = Money.unsafeMake
const openedAt = new Date("2024-01-02T03:04:05.000Z")
const closedAt = new Date("2024-06-30T12:00:00.000Z")

const opened: BankAccount.Event = { _tag: "AccountOpened", accountId: "ACC-001", ownerName: "John Doe", openedAt }
const deposited = (amount: number, balanceAfter: number): BankAccount.Event => ({
  _tag: "MoneyDeposited",
  amount: cents(amount),
  balanceAfter: cents(balanceAfter)
})
const withdrawn = (amount: number, balanceAfter: number): BankAccount.Event => ({
  _tag: "MoneyWithdrawn",
  amount: cents(amount),
  balanceAfter: cents(balanceAfter)
})
const closed: BankAccount.Event = { _tag: "AccountClosed", reason: "moving abroad", closedAt }

const open = (accountId = "ACC-001", ownerName = "John Doe", at = openedAt) =>
  BankAccount.OpenAccount.make({ accountId, ownerName, openedAt: at })
const deposit = (amount: number) => BankAccount.Deposit.make({ amount })
const withdraw = (amount: number) => BankAccount.Withdraw.make({ amount })
const close = (at = closedAt) => BankAccount.CloseAccount.make({ reason: "moving abroad", closedAt: at })

describe("BankAccount stream id", () => {
  it("is the category prefix and the account id", () => {
    assert.strictEqual(BankAccount.streamId("ACC-001"), "BankAccount-ACC-001")
    assert.deepStrictEqual(BankAccount.accountIdOf("BankAccount-ACC-001"), Option.some("ACC-001"))
    assert.deepStrictEqual(BankAccount.accountIdOf("Order-1"), Option.none())
    assert.deepStrictEqual(BankAccount.accountIdOf("BankAccount-"), Option.none())
  })
})

describe("BankAccount.OpenAccount", () => {
  it("opens an account with a zero balance", () => {
    const state = spec.given([]).when(open()).then([opened])
    assert.deepStrictEqual(state, { _tag: "Active", accountId: "ACC-001", ownerName: "John Doe", balance: Money.zero })
  })

  it("cannot open an account twice", () => {
    spec
      .given([opened])
      .when(open())
      .thenFails(new BankAccount.AccountAlreadyOpened({ accountId: "ACC-001" }))
  })

  it("cannot reopen a closed account", () => {
    spec
      .given([opened, closed])
      .when(open())
      .thenFails(new BankAccount.AccountAlreadyOpened({ accountId: "ACC-001" }))
  })

  it("rejects a blank account id", () => {
    for (const accountId of ["", "   "]) {
      spec
        .given([])
        .when(open(accountId))
        .thenFails(new BankAccount.InvalidAccountId({ accountId, reason: "the account id must not be blank" }))
    }
  })

  it("rejects an account id that makes no valid stream id", () => {
    for (const accountId of ["ACC\u0000001", "A".repeat(300)]) {
      const result = BankAccount.decide(open(accountId), BankAccount.initialState)
      assert.isTrue(result._tag === "Left" && result.left._tag === "InvalidAccountId")
    }
  })

  it("rejects a blank owner name", () => {
    for (const ownerName of ["", " \t "]) {
      spec
        .given([])
        .when(open("ACC-001", ownerName))
        .thenFails(new BankAccount.InvalidOwnerName({ ownerName, reason: "the owner name must not be blank" }))
    }
  })

  it("rejects an invalid opening date", () => {
    spec
      .given([])
      .when(open("ACC-001", "John Doe", new Date(Number.NaN)))
      .thenFails(new BankAccount.InvalidDate({ field: "openedAt" }))
  })
})

describe("BankAccount.Deposit", () => {
  it("adds the amount to the balance", () => {
    const state = spec
      .given([opened, deposited(1000, 1000)])
      .when(deposit(500))
      .then([deposited(500, 1500)])
    assert.deepStrictEqual(state, { _tag: "Active", accountId: "ACC-001", ownerName: "John Doe", balance: cents(1500) })
  })

  it("needs an opened account", () => {
    spec.given([]).when(deposit(100)).thenFails(new BankAccount.AccountNotFound())
  })

  it("needs an active account", () => {
    spec
      .given([opened, closed])
      .when(deposit(100))
      .thenFails(new BankAccount.AccountNotActive({ accountId: "ACC-001" }))
  })

  it.each([
    [0, "the amount must be positive"],
    [-100, "the amount must be positive"],
    [12.5, "the amount must be a whole number of minor units (cents)"],
    [Number.NaN, "the amount is not a number"],
    [Number.POSITIVE_INFINITY, "the amount must be finite"],
    [Number.NEGATIVE_INFINITY, "the amount must be finite"],
    [2 ** 60, `the amount must not exceed ${Number.MAX_SAFE_INTEGER}`]
  ])("rejects the amount %s", (amount, reason) => {
    spec.given([opened]).when(deposit(amount)).thenFails(new Money.InvalidAmount({ amount, reason }))
  })

  it("rejects a deposit that would pass the largest exact balance", () => {
    const balance = Number.MAX_SAFE_INTEGER - 10
    spec
      .given([opened, deposited(balance, balance)])
      .when(deposit(11))
      .thenFails(new Money.BalanceOverflow({ balance: cents(balance), amount: cents(11) }))
    spec
      .given([opened, deposited(balance, balance)])
      .when(deposit(10))
      .then([deposited(10, Number.MAX_SAFE_INTEGER)])
  })
})

describe("BankAccount.Withdraw", () => {
  it("takes the amount from the balance", () => {
    spec
      .given([opened, deposited(1000, 1000)])
      .when(withdraw(300))
      .then([withdrawn(300, 700)])
  })

  it("may empty the account", () => {
    spec
      .given([opened, deposited(1000, 1000)])
      .when(withdraw(1000))
      .then([withdrawn(1000, 0)])
  })

  it("cannot overdraw", () => {
    spec
      .given([opened, deposited(1000, 1000)])
      .when(withdraw(1001))
      .thenFails(new BankAccount.InsufficientFunds({ balance: cents(1000), amount: cents(1001) }))
  })

  it("needs an opened account", () => {
    spec.given([]).when(withdraw(100)).thenFails(new BankAccount.AccountNotFound())
  })

  it("needs an active account", () => {
    spec
      .given([opened, closed])
      .when(withdraw(100))
      .thenFails(new BankAccount.AccountNotActive({ accountId: "ACC-001" }))
  })

  it("rejects an amount that is not positive", () => {
    spec
      .given([opened, deposited(1000, 1000)])
      .when(withdraw(-1))
      .thenFails(new Money.InvalidAmount({ amount: -1, reason: "the amount must be positive" }))
  })
})

describe("BankAccount.CloseAccount", () => {
  it("closes an empty account", () => {
    const state = spec
      .given([opened, deposited(1000, 1000), withdrawn(1000, 0)])
      .when(close())
      .then([closed])
    assert.deepStrictEqual(state, {
      _tag: "Closed",
      accountId: "ACC-001",
      ownerName: "John Doe",
      balance: Money.zero,
      reason: "moving abroad"
    })
  })

  it("cannot close an account with a positive balance", () => {
    spec
      .given([opened, deposited(1, 1)])
      .when(close())
      .thenFails(new BankAccount.PositiveBalance({ balance: cents(1) }))
  })

  it("cannot close an account twice", () => {
    spec
      .given([opened, closed])
      .when(close())
      .thenFails(new BankAccount.AccountAlreadyClosed({ accountId: "ACC-001" }))
  })

  it("needs an opened account", () => {
    spec.given([]).when(close()).thenFails(new BankAccount.AccountNotFound())
  })

  it("rejects an invalid closing date", () => {
    spec
      .given([opened])
      .when(close(new Date(Number.NaN)))
      .thenFails(new BankAccount.InvalidDate({ field: "closedAt" }))
  })
})

describe("BankAccount.evolve", () => {
  it("replays the seed's history: 1000 + 500 - 300 - 200 = 1000", () => {
    const history = [opened, deposited(1000, 1000), deposited(500, 1500), withdrawn(300, 1200), withdrawn(200, 1000)]
    const state = history.reduce(BankAccount.evolve, BankAccount.initialState)
    assert.deepStrictEqual(state, { _tag: "Active", accountId: "ACC-001", ownerName: "John Doe", balance: cents(1000) })
  })

  it("leaves the state as it was for an event that does not fit it", () => {
    assert.strictEqual(BankAccount.evolve(BankAccount.initialState, deposited(5, 5)), BankAccount.initialState)
    const active = BankAccount.evolve(BankAccount.initialState, opened)
    assert.strictEqual(BankAccount.evolve(active, opened), active)
  })
})

describe("BankAccount.decide on input that is not what its type says", () => {
  const decideRaw = (command: unknown, events: ReadonlyArray<BankAccount.Event> = []) =>
    BankAccount.decide(command as BankAccount.Command, events.reduce(BankAccount.evolve, BankAccount.initialState))
  const opening = { _tag: "OpenAccount", accountId: "ACC-9", ownerName: "Ann", openedAt }

  it("names the field of an opening that is not text, or blank", () => {
    assert.deepStrictEqual(
      decideRaw({ ...opening, accountId: 42 }),
      Either.left(new BankAccount.InvalidAccountId({ accountId: "42", reason: "the account id must be text" }))
    )
    assert.deepStrictEqual(
      decideRaw({ ...opening, ownerName: 7 }),
      Either.left(new BankAccount.InvalidOwnerName({ ownerName: "7", reason: "the owner name must be text" }))
    )
    for (const [field, value] of [
      ["customerId", " "],
      ["customerId", 5],
      ["accountNumber", ""],
      ["accountNumber", null]
    ] as const) {
      assert.deepStrictEqual(
        decideRaw({ ...opening, [field]: value }),
        Either.left(new BankAccount.InvalidCommand({ reason: `the ${field} must be non-blank text` })),
        `${field}: ${String(value)}`
      )
    }
  })

  it("refuses a closing whose reason is not text", () => {
    assert.deepStrictEqual(
      decideRaw({ _tag: "CloseAccount", reason: 5, closedAt }, [opened]),
      Either.left(new BankAccount.InvalidCommand({ reason: "the reason must be text" }))
    )
  })

  it("refuses what is no command, naming it (an unknown tag cut to 80 characters)", () => {
    assert.deepStrictEqual(
      decideRaw(null),
      Either.left(new BankAccount.InvalidCommand({ reason: "a command must be an object, not null" }))
    )
    assert.deepStrictEqual(
      decideRaw({ _tag: "Fly" }),
      Either.left(new BankAccount.InvalidCommand({ reason: 'unknown command "Fly"' }))
    )
    assert.deepStrictEqual(
      decideRaw({ _tag: "x".repeat(100) }),
      Either.left(new BankAccount.InvalidCommand({ reason: `unknown command "${"x".repeat(80)}"` }))
    )
  })
})

describe("BankAccount service", () => {
  it("is keyed by the package-qualified name, so two copies of the package provide one service", () => {
    assert.strictEqual(BankAccount.BankAccount.key, "@chronicle/bank-account/BankAccount")
  })
})

describe("BankAccount.accountIdOf", () => {
  it("reads only ids that start with the prefix and go on past it", () => {
    assert.deepStrictEqual(BankAccount.accountIdOf("Order-1234567890"), Option.none())
    assert.deepStrictEqual(BankAccount.accountIdOf("Order-BankAccount-"), Option.none())
    assert.deepStrictEqual(BankAccount.accountIdOf("BankAccount-BankAccount-"), Option.some("BankAccount-"))
  })
})
