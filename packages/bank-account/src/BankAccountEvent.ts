/**
 * The events of a bank account stream: the storage contract. Change them with care; an older shape needs an upcaster
 * in `BankAccount.codec`. Re-exported by `BankAccount`; import them from there.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Money from "./Money.js"

/**
 * An account was opened for an owner; its balance starts at zero. Opened through `Bank`, it names its customer and
 * its account number, unique across the bank (older events name neither).
 *
 * @since 0.1.0
 * @category events
 */
export const AccountOpened = Schema.TaggedStruct("AccountOpened", {
  accountId: Schema.String,
  ownerName: Schema.String,
  openedAt: Schema.Date,
  customerId: Schema.optionalWith(Schema.String, { exact: true }),
  accountNumber: Schema.optionalWith(Schema.String, { exact: true })
})

/**
 * Money was paid into an account; `balanceAfter` is the balance it left.
 *
 * @since 0.1.0
 * @category events
 */
export const MoneyDeposited = Schema.TaggedStruct("MoneyDeposited", { amount: Money.Money, balanceAfter: Money.Money })

/**
 * Money was taken out of an account; `balanceAfter` is the balance it left. A withdrawal under the daily limit
 * (`Bank.withdraw`) names its customer and its day (`YYYY-MM-DD`), which its tags carry.
 *
 * @since 0.1.0
 * @category events
 */
export const MoneyWithdrawn = Schema.TaggedStruct("MoneyWithdrawn", {
  amount: Money.Money,
  balanceAfter: Money.Money,
  customerId: Schema.optionalWith(Schema.String, { exact: true }),
  day: Schema.optionalWith(Schema.String, { exact: true })
})

/**
 * An account was closed; it takes no more deposits or withdrawals.
 *
 * @since 0.1.0
 * @category events
 */
export const AccountClosed = Schema.TaggedStruct("AccountClosed", { reason: Schema.String, closedAt: Schema.Date })

/**
 * Every event of a bank account stream.
 *
 * @since 0.1.0
 * @category events
 */
export const Event = Schema.Union(AccountOpened, MoneyDeposited, MoneyWithdrawn, AccountClosed)

/**
 * An event of a bank account stream.
 *
 * @since 0.1.0
 * @category events
 */
export type Event = typeof Event.Type
