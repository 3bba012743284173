/**
 * The commands a bank account handles. Amounts are raw numbers and times come in the command: `BankAccount.decide`
 * validates both and answers with typed errors. Re-exported by `BankAccount`; import them from there.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * Open an account for an owner, at the time the command carries; through `Bank`, for a customer and under an account
 * number that no other account of the bank has.
 *
 * @since 0.1.0
 * @category commands
 */
export const OpenAccount = Schema.TaggedStruct("OpenAccount", {
  accountId: Schema.String,
  ownerName: Schema.String,
  openedAt: Schema.DateFromSelf,
  customerId: Schema.optionalWith(Schema.String, { exact: true }),
  accountNumber: Schema.optionalWith(Schema.String, { exact: true })
})

/**
 * Pay an amount (in minor units) into an account.
 *
 * @since 0.1.0
 * @category commands
 */
export const Deposit = Schema.TaggedStruct("Deposit", { amount: Schema.Number })

/**
 * Take an amount (in minor units) out of an account.
 *
 * @since 0.1.0
 * @category commands
 */
export const Withdraw = Schema.TaggedStruct("Withdraw", { amount: Schema.Number })

/**
 * Close an account, for a reason, at the time the command carries.
 *
 * @since 0.1.0
 * @category commands
 */
export const CloseAccount = Schema.TaggedStruct("CloseAccount", {
  reason: Schema.String,
  closedAt: Schema.DateFromSelf
})

/**
 * Every command a bank account handles.
 *
 * @since 0.1.0
 * @category commands
 */
export const Command = Schema.Union(OpenAccount, Deposit, Withdraw, CloseAccount)

/**
 * A command to a bank account.
 *
 * @since 0.1.0
 * @category commands
 */
export type Command = typeof Command.Type

/**
 * Move an amount (in minor units) from one account to another: one decision over both accounts (`Bank.transfer`).
 *
 * @since 0.1.0
 * @category commands
 */
export const TransferMoney = Schema.TaggedStruct("TransferMoney", {
  from: Schema.String,
  to: Schema.String,
  amount: Schema.Number
})

/**
 * Take an amount out of a customer's account on a day (`YYYY-MM-DD`, from the caller's clock), within the customer's
 * daily limit across all of their accounts (`Bank.withdraw`).
 *
 * @since 0.1.0
 * @category commands
 */
export const WithdrawWithinLimit = Schema.TaggedStruct("WithdrawWithinLimit", {
  accountId: Schema.String,
  customerId: Schema.String,
  amount: Schema.Number,
  day: Schema.String
})
