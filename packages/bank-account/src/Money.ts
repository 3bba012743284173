/**
 * Money in integer minor units (cents): a branded safe integer, the validation of an amount a command carries, and
 * overflow-checked arithmetic. Integers keep sums exact; a float like `0.1 + 0.2` never reaches a balance.
 *
 * @since 0.1.0
 */
import { Either, Schema } from "effect"

/**
 * An amount of money in minor units (cents): a safe integer, so that every sum below `Number.MAX_SAFE_INTEGER` is
 * exact.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Money = Schema.Number.pipe(
  Schema.int({ message: () => "money must be a safe integer number of minor units" }),
  // Stryker disable next-line StringLiteral: the brand's name only tells types apart; nothing reads it at run time.
  Schema.brand("@chronicle/bank-account/Money"),
  Schema.annotations({ identifier: "Money" })
)

/**
 * An amount of money in minor units (cents).
 *
 * @since 0.1.0
 * @category models
 */
export type Money = typeof Money.Type

/**
 * Brands a safe integer as money, throwing when it is not one. For constants in programs and tests.
 *
 * @since 0.1.0
 * @category constructors
 */
export const unsafeMake = (minorUnits: number): Money => Money.make(minorUnits)

/**
 * No money at all: the balance of a newly opened account.
 *
 * @since 0.1.0
 * @category constants
 */
export const zero: Money = Money.make(0)

/**
 * Raised when a command's amount is not a positive safe integer of minor units (not a number at all, such as `"100"`
 * or `null` from JSON; a fraction, NaN, ±Infinity, zero or a negative number). `amount` is the value as given.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidAmount extends Schema.TaggedError<InvalidAmount>("@chronicle/bank-account/InvalidAmount")(
  "InvalidAmount",
  { amount: Schema.Unknown, reason: Schema.String }
) {
  override get message(): string {
    const amount = typeof this.amount === "string" ? JSON.stringify(this.amount) : String(this.amount)
    return `Invalid amount ${amount}: ${this.reason}`
  }
}

/**
 * Raised when adding an amount to a balance would pass `Number.MAX_SAFE_INTEGER`, where integer sums stop being exact.
 *
 * @since 0.1.0
 * @category errors
 */
export class BalanceOverflow extends Schema.TaggedError<BalanceOverflow>("@chronicle/bank-account/BalanceOverflow")(
  "BalanceOverflow",
  { balance: Money, amount: Money }
) {
  override get message(): string {
    return `Adding ${this.amount} to a balance of ${this.balance} would pass the largest exact amount (${Number.MAX_SAFE_INTEGER})`
  }
}

/** Brands a number the caller has just found to be a safe integer (the schema's own check costs about 0.4 µs). */
// Stryker disable next-line BooleanLiteral: checking again accepts every number the callers pass; it only costs time.
const checked = (minorUnits: number): Money => Money.make(minorUnits, true)

/**
 * Validates the raw amount of a command, whatever it is (commands arrive from JSON, forms and queues): a positive safe
 * integer of minor units, or a typed `InvalidAmount` saying why not. Never throws.
 *
 * @since 0.1.0
 * @category constructors
 */
export const validateAmount = (amount: unknown): Either.Either<Money, InvalidAmount> => {
  const invalid = (reason: string) => Either.left(new InvalidAmount({ amount, reason }))
  if (typeof amount !== "number" || Number.isNaN(amount)) return invalid("the amount is not a number")
  if (!Number.isFinite(amount)) return invalid("the amount must be finite")
  if (!Number.isInteger(amount)) return invalid("the amount must be a whole number of minor units (cents)")
  if (amount <= 0) return invalid("the amount must be positive")
  if (!Number.isSafeInteger(amount)) return invalid(`the amount must not exceed ${Number.MAX_SAFE_INTEGER}`)
  return Either.right(checked(amount))
}

/**
 * Whether adding `amount` to `balance` would leave the safe integers (pass `Number.MAX_SAFE_INTEGER`). Exact: a float
 * sum of two safe integers is itself a safe integer only when the true sum is.
 *
 * @since 0.1.0
 * @category predicates
 */
export const wouldOverflow = (balance: Money, amount: Money): boolean => !Number.isSafeInteger(balance + amount)

/**
 * Adds an amount to a balance, or fails with `BalanceOverflow` when the sum would not be exact.
 *
 * @since 0.1.0
 * @category combinators
 */
export const add = (balance: Money, amount: Money): Either.Either<Money, BalanceOverflow> =>
  wouldOverflow(balance, amount)
    ? Either.left(new BalanceOverflow({ balance, amount }))
    : Either.right(checked(balance + amount))

/**
 * Subtracts an amount from a balance. For `0 <= amount <= balance` (what a withdrawal checks first) the result is a
 * non-negative safe integer; outside that range it throws when the difference is not a safe integer.
 *
 * @since 0.1.0
 * @category combinators
 */
export const subtract = (balance: Money, amount: Money): Money => Money.make(balance - amount)

const groupThousands = (digits: string): string => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",")

/**
 * Formats an integer amount of minor units for display as dollars and cents, such as `$1,234.56` or `-$0.05`, exactly
 * (no floating-point division).
 *
 * @since 0.1.0
 * @category formatting
 */
export const format = (minorUnits: Money | number): string => {
  const sign = minorUnits < 0 ? "-" : ""
  const abs = Math.abs(minorUnits)
  const cents = abs % 100
  const dollars = (abs - cents) / 100
  return `${sign}$${groupThousands(String(dollars))}.${String(cents).padStart(2, "0")}`
}
