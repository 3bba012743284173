import { Money } from "@chronicle/bank-account"
import { assert, describe, it } from "@effect/vitest"
import { Either, FastCheck, Schema } from "effect"

const cents = Money.unsafeMake

describe("Money", () => {
  it("is a safe integer", () => {
    const decode = Schema.decodeUnknownEither(Money.Money)
    assert.isTrue(Either.isRight(decode(0)))
    assert.isTrue(Either.isRight(decode(-5)))
    assert.isTrue(Either.isRight(decode(Number.MAX_SAFE_INTEGER)))
    for (const bad of [1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1, "100"]) {
      assert.isTrue(Either.isLeft(decode(bad)), `${String(bad)} should not decode`)
    }
    assert.throws(() => Money.unsafeMake(0.1))
  })

  describe("validateAmount", () => {
    it.each([
      [Number.NaN, "the amount is not a number"],
      [Number.POSITIVE_INFINITY, "the amount must be finite"],
      [Number.NEGATIVE_INFINITY, "the amount must be finite"],
      [0.5, "the amount must be a whole number of minor units (cents)"],
      [-0.5, "the amount must be a whole number of minor units (cents)"],
      [0, "the amount must be positive"],
      [-0, "the amount must be positive"],
      [-1, "the amount must be positive"],
      [Number.MAX_SAFE_INTEGER + 1, `the amount must not exceed ${Number.MAX_SAFE_INTEGER}`]
    ])("rejects %s with a typed InvalidAmount", (amount, reason) => {
      const result = Money.validateAmount(amount)
      assert.deepStrictEqual(result, Either.left(new Money.InvalidAmount({ amount, reason })))
      assert.isTrue(Either.isLeft(result) && result.left instanceof Money.InvalidAmount)
    })

    it.each([["100"], [null], [undefined], [{ amount: 1 }], [[100]], [true], [10n]])(
      "rejects the non-number %s with a typed InvalidAmount, never throwing",
      (amount) => {
        const result = Money.validateAmount(amount)
        assert.deepStrictEqual(
          result,
          Either.left(new Money.InvalidAmount({ amount, reason: "the amount is not a number" }))
        )
        assert.isTrue(Either.isLeft(result) && result.left.message.startsWith("Invalid amount"))
      }
    )

    it("accepts 1 and MAX_SAFE_INTEGER", () => {
      assert.deepStrictEqual(Money.validateAmount(1), Either.right(cents(1)))
      assert.deepStrictEqual(
        Money.validateAmount(Number.MAX_SAFE_INTEGER),
        Either.right(cents(Number.MAX_SAFE_INTEGER))
      )
    })

    it.prop("accepts exactly the positive safe integers", [FastCheck.double()], ([amount]) => {
      assert.strictEqual(Either.isRight(Money.validateAmount(amount)), Number.isSafeInteger(amount) && amount > 0)
    })
  })

  describe("add", () => {
    it("adds exactly up to MAX_SAFE_INTEGER", () => {
      assert.deepStrictEqual(Money.add(cents(1), cents(2)), Either.right(cents(3)))
      assert.deepStrictEqual(
        Money.add(cents(Number.MAX_SAFE_INTEGER - 1), cents(1)),
        Either.right(cents(Number.MAX_SAFE_INTEGER))
      )
    })

    it("fails with BalanceOverflow past MAX_SAFE_INTEGER", () => {
      const balance = cents(Number.MAX_SAFE_INTEGER)
      assert.deepStrictEqual(
        Money.add(balance, cents(1)),
        Either.left(new Money.BalanceOverflow({ balance, amount: cents(1) }))
      )
      assert.isTrue(Money.wouldOverflow(cents(Number.MAX_SAFE_INTEGER - 5), cents(6)))
      assert.isFalse(Money.wouldOverflow(cents(Number.MAX_SAFE_INTEGER - 5), cents(5)))
    })

    it.prop(
      "overflows exactly when the true sum passes MAX_SAFE_INTEGER",
      [
        FastCheck.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        FastCheck.integer({ min: 1, max: Number.MAX_SAFE_INTEGER })
      ],
      ([balance, amount]) => {
        const overflows = BigInt(balance) + BigInt(amount) > BigInt(Number.MAX_SAFE_INTEGER)
        assert.strictEqual(Either.isLeft(Money.add(cents(balance), cents(amount))), overflows)
      }
    )
  })

  it("subtracts", () => {
    assert.strictEqual(Money.subtract(cents(1000), cents(300)), 700)
    assert.strictEqual(Money.subtract(cents(1000), cents(1000)), 0)
  })

  it("formats dollars and cents", () => {
    assert.strictEqual(Money.format(cents(0)), "$0.00")
    assert.strictEqual(Money.format(cents(5)), "$0.05")
    assert.strictEqual(Money.format(cents(123456)), "$1,234.56")
    assert.strictEqual(Money.format(cents(100000000)), "$1,000,000.00")
    assert.strictEqual(Money.format(cents(-5)), "-$0.05")
    assert.strictEqual(Money.format(cents(Number.MAX_SAFE_INTEGER)), "$90,071,992,547,409.91")
  })

  it("errors are schemas named by the package, as their descriptions show", () => {
    assert.deepStrictEqual(
      [String(Money.InvalidAmount), String(Money.BalanceOverflow)],
      [
        "(@chronicle/bank-account/InvalidAmount (Encoded side) <-> @chronicle/bank-account/InvalidAmount)",
        "(@chronicle/bank-account/BalanceOverflow (Encoded side) <-> @chronicle/bank-account/BalanceOverflow)"
      ]
    )
  })

  it("errors say what went wrong, with the amounts involved", () => {
    assert.strictEqual(
      new Money.InvalidAmount({ amount: "100", reason: "the amount is not a number" }).message,
      'Invalid amount "100": the amount is not a number'
    )
    assert.strictEqual(
      new Money.InvalidAmount({ amount: 1.5, reason: "the amount must be a whole number of minor units (cents)" })
        .message,
      "Invalid amount 1.5: the amount must be a whole number of minor units (cents)"
    )
    assert.strictEqual(
      new Money.BalanceOverflow({ balance: cents(5), amount: cents(7) }).message,
      `Adding 7 to a balance of 5 would pass the largest exact amount (${Number.MAX_SAFE_INTEGER})`
    )
    const decode = Schema.decodeUnknownEither(Money.Money)
    const fraction = decode(1.5)
    assert.isTrue(
      Either.isLeft(fraction) && fraction.left.message === "money must be a safe integer number of minor units"
    )
    const text = decode("1")
    assert.isTrue(Either.isLeft(text) && text.left.message.startsWith("Money\n"))
  })
})
