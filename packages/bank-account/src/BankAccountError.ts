/**
 * The rules a bank account command can break, as tagged errors with the data a caller can act on. Re-exported by
 * `BankAccount`; import them from there.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Money from "./Money.js"

/**
 * Raised by a command on an account that was never opened.
 *
 * @since 0.1.0
 * @category errors
 */
export class AccountNotFound extends Schema.TaggedError<AccountNotFound>("@chronicle/bank-account/AccountNotFound")(
  "AccountNotFound",
  {}
) {
  override get message(): string {
    return "The account has not been opened"
  }
}

/**
 * Raised by opening an account that is already open (or was open and is now closed).
 *
 * @since 0.1.0
 * @category errors
 */
export class AccountAlreadyOpened extends Schema.TaggedError<AccountAlreadyOpened>(
  "@chronicle/bank-account/AccountAlreadyOpened"
)("AccountAlreadyOpened", { accountId: Schema.String }) {
  override get message(): string {
    return `Account ${this.accountId} has already been opened`
  }
}

/**
 * Raised by a deposit or withdrawal on a closed account.
 *
 * @since 0.1.0
 * @category errors
 */
export class AccountNotActive extends Schema.TaggedError<AccountNotActive>("@chronicle/bank-account/AccountNotActive")(
  "AccountNotActive",
  { accountId: Schema.String }
) {
  override get message(): string {
    return `Account ${this.accountId} is not active`
  }
}

/**
 * Raised by closing an account that is closed already.
 *
 * @since 0.1.0
 * @category errors
 */
export class AccountAlreadyClosed extends Schema.TaggedError<AccountAlreadyClosed>(
  "@chronicle/bank-account/AccountAlreadyClosed"
)("AccountAlreadyClosed", { accountId: Schema.String }) {
  override get message(): string {
    return `Account ${this.accountId} is already closed`
  }
}

/**
 * Raised by a withdrawal of more than the balance: accounts cannot be overdrawn.
 *
 * @since 0.1.0
 * @category errors
 */
export class InsufficientFunds extends Schema.TaggedError<InsufficientFunds>(
  "@chronicle/bank-account/InsufficientFunds"
)("InsufficientFunds", { balance: Money.Money, amount: Money.Money }) {
  override get message(): string {
    return `Insufficient funds: cannot withdraw ${Money.format(this.amount)} from a balance of ${Money.format(this.balance)}`
  }
}

/**
 * Raised by closing an account that still holds money: withdraw it first.
 *
 * @since 0.1.0
 * @category errors
 */
export class PositiveBalance extends Schema.TaggedError<PositiveBalance>("@chronicle/bank-account/PositiveBalance")(
  "PositiveBalance",
  { balance: Money.Money }
) {
  override get message(): string {
    return `Cannot close an account with a positive balance (${Money.format(this.balance)})`
  }
}

/**
 * Raised by opening an account with a blank account id, or one that makes no valid stream id.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidAccountId extends Schema.TaggedError<InvalidAccountId>("@chronicle/bank-account/InvalidAccountId")(
  "InvalidAccountId",
  { accountId: Schema.String, reason: Schema.String }
) {
  override get message(): string {
    return `Invalid account id ${JSON.stringify(this.accountId.slice(0, 80))}: ${this.reason}`
  }
}

/**
 * Raised by opening an account with a blank owner name.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidOwnerName extends Schema.TaggedError<InvalidOwnerName>("@chronicle/bank-account/InvalidOwnerName")(
  "InvalidOwnerName",
  { ownerName: Schema.String, reason: Schema.String }
) {
  override get message(): string {
    return `Invalid owner name ${JSON.stringify(this.ownerName.slice(0, 80))}: ${this.reason}`
  }
}

/**
 * Raised by a command whose time is an invalid `Date` (one that could not be stored).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidDate extends Schema.TaggedError<InvalidDate>("@chronicle/bank-account/InvalidDate")("InvalidDate", {
  field: Schema.String
}) {
  override get message(): string {
    return `The command's ${this.field} is not a valid date`
  }
}

/**
 * Raised by a command that is not one a bank account handles (not an object, an unknown `_tag`) or whose fields are
 * not of their types (a reason that is not text): commands arrive from JSON, forms and queues, so `decide` checks
 * what it reads.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidCommand extends Schema.TaggedError<InvalidCommand>("@chronicle/bank-account/InvalidCommand")(
  "InvalidCommand",
  { reason: Schema.String }
) {
  override get message(): string {
    return `Invalid bank account command: ${this.reason}`
  }
}

/**
 * Raised by handling an `OpenAccount` on a stream that is not its account's: each account has its own stream,
 * `BankAccount.streamId(accountId)`. The `BankAccount` service derives both from one account id, so it never meets this.
 *
 * @since 0.1.0
 * @category errors
 */
export class AccountIdMismatch extends Schema.TaggedError<AccountIdMismatch>(
  "@chronicle/bank-account/AccountIdMismatch"
)("AccountIdMismatch", { accountId: Schema.String, streamId: Schema.String }) {
  override get message(): string {
    return `A command for account ${JSON.stringify(this.accountId.slice(0, 80))} cannot be handled on stream ${JSON.stringify(this.streamId.slice(0, 80))}: each account has its own stream`
  }
}

/**
 * Every rule a bank account command can break, including an invalid or overflowing amount, an untyped command, and a
 * command sent to another account's stream.
 *
 * @since 0.1.0
 * @category errors
 */
export type BankAccountError =
  | AccountNotFound
  | AccountAlreadyOpened
  | AccountNotActive
  | AccountAlreadyClosed
  | InsufficientFunds
  | PositiveBalance
  | InvalidAccountId
  | InvalidOwnerName
  | InvalidDate
  | InvalidCommand
  | AccountIdMismatch
  | Money.InvalidAmount
  | Money.BalanceOverflow

/**
 * Raised by opening an account under an account number another account of the bank has.
 *
 * @since 0.1.0
 * @category errors
 */
export class AccountNumberTaken extends Schema.TaggedError<AccountNumberTaken>(
  "@chronicle/bank-account/AccountNumberTaken"
)("AccountNumberTaken", { accountNumber: Schema.String }) {
  override get message(): string {
    return `The account number ${this.accountNumber} is taken`
  }
}

/**
 * Raised by a withdrawal that would take a customer past their daily limit, across all of their accounts.
 *
 * @since 0.1.0
 * @category errors
 */
export class DailyLimitExceeded extends Schema.TaggedError<DailyLimitExceeded>(
  "@chronicle/bank-account/DailyLimitExceeded"
)("DailyLimitExceeded", {
  customerId: Schema.String,
  day: Schema.String,
  limit: Money.Money,
  withdrawn: Money.Money,
  amount: Money.Money
}) {
  override get message(): string {
    return `Daily limit of ${Money.format(this.limit)} exceeded: ${Money.format(this.withdrawn)} withdrawn on ${this.day}, ${Money.format(this.amount)} asked`
  }
}

/**
 * Raised by a transfer from an account to itself.
 *
 * @since 0.1.0
 * @category errors
 */
export class SameAccount extends Schema.TaggedError<SameAccount>("@chronicle/bank-account/SameAccount")("SameAccount", {
  accountId: Schema.String
}) {
  override get message(): string {
    return `Cannot transfer from account ${this.accountId} to itself`
  }
}

/**
 * Raised by a withdrawal in a customer's name from an account opened for another customer (or for none).
 *
 * @since 0.1.0
 * @category errors
 */
export class CustomerMismatch extends Schema.TaggedError<CustomerMismatch>("@chronicle/bank-account/CustomerMismatch")(
  "CustomerMismatch",
  { accountId: Schema.String, customerId: Schema.String }
) {
  override get message(): string {
    return `Account ${this.accountId} is not an account of customer ${this.customerId}`
  }
}

/**
 * Every rule a decision across accounts (`Bank`) can break: an account's own, or the bank's.
 *
 * @since 0.1.0
 * @category errors
 */
export type BankError = BankAccountError | AccountNumberTaken | DailyLimitExceeded | SameAccount | CustomerMismatch
