/**
 * The commands a bank account handles. Amounts are raw numbers and times come in the command: `BankAccount.decide`
 * validates both and answers with typed errors. Re-exported by `BankAccount`; import them from there.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * Open an account for an owner, at the time the command carries.
 *
 * @since 0.1.0
 * @category commands
 */
export const OpenAccount = Schema.TaggedStruct("OpenAccount", {
  accountId: Schema.String,
  ownerName: Schema.String,
  openedAt: Schema.DateFromSelf
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
