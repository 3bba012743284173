/**
 * The tags of bank account events, what reads by query and the bank's decisions (`Bank`) select by: every event of an
 * account carries `account:<id>`; an opening carries `customer:<id>` and `accountNumber:<n>` when it names them; a
 * withdrawal under the daily limit carries `customer:<id>` and `day:<YYYY-MM-DD>`. Re-exported by `BankAccount`.
 *
 * @since 0.1.0
 */
import type { Event } from "./BankAccountEvent.js"

/**
 * The tag of every event of an account.
 *
 * @since 0.1.0
 * @category tags
 */
export const accountTag = (accountId: string): string => `account:${accountId}`

/**
 * The tag of a customer's openings and daily-limited withdrawals.
 *
 * @since 0.1.0
 * @category tags
 */
export const customerTag = (customerId: string): string => `customer:${customerId}`

/**
 * The tag of the opening that took an account number.
 *
 * @since 0.1.0
 * @category tags
 */
export const accountNumberTag = (accountNumber: string): string => `accountNumber:${accountNumber}`

/**
 * The tag of a daily-limited withdrawal's day.
 *
 * @since 0.1.0
 * @category tags
 */
export const dayTag = (day: string): string => `day:${day}`

/**
 * The tags of an event of an account.
 *
 * @since 0.1.0
 * @category tags
 */
export const tagsOf = (event: Event, accountId: string): ReadonlyArray<string> => {
  const tags = [accountTag(accountId)]
  if (event._tag === "AccountOpened" || event._tag === "MoneyWithdrawn") {
    if (event.customerId !== undefined) tags.push(customerTag(event.customerId))
  }
  if (event._tag === "AccountOpened" && event.accountNumber !== undefined) {
    tags.push(accountNumberTag(event.accountNumber))
  }
  if (event._tag === "MoneyWithdrawn" && event.day !== undefined) tags.push(dayTag(event.day))
  return tags
}
