/**
 * @since 0.1.0
 */

/**
 * The bank account domain: stream id, events, state, commands, errors, `decide`, decider, codec and handler.
 *
 * @since 0.1.0
 */
export * as BankAccount from "./BankAccount.js"

/**
 * Money in integer minor units, amount validation and formatting.
 *
 * @since 0.1.0
 */
export * as Money from "./Money.js"

/**
 * The balance of every account: a pure projection of recorded bank account events.
 *
 * @since 0.1.0
 */
export * as AccountBalances from "./AccountBalances.js"

/**
 * The bank's rules across accounts as decision models: transfers, unique account numbers, a daily withdrawal limit.
 *
 * @since 0.1.0
 */
export * as Bank from "./Bank.js"
