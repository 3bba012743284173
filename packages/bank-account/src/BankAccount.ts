/**
 * The bank account: the reference domain of Chronicle, pure. It reads in Equinox's order: stream id, events (the
 * storage contract, in `BankAccountEvent`), state, commands (`BankAccountCommand`), errors (`BankAccountError`),
 * `decide`, then the decider, codec and command handler. Events, commands and errors are re-exported here, so users
 * write `BankAccount.Deposit`, `BankAccount.MoneyDeposited`, `BankAccount.InsufficientFunds`.
 *
 * @since 0.1.0
 */
import { CommandHandler, Decider, EventCodec, StreamId } from "@chronicle/core"
import { Either, Option, Schema } from "effect"
import { absurd } from "effect/Function"
import type { CloseAccount, Command, Deposit, OpenAccount, Withdraw } from "./BankAccountCommand.js"
import {
  AccountAlreadyClosed,
  AccountAlreadyOpened,
  AccountNotActive,
  AccountNotFound,
  type BankAccountError,
  InsufficientFunds,
  InvalidAccountId,
  InvalidCommand,
  InvalidDate,
  InvalidOwnerName,
  PositiveBalance
} from "./BankAccountError.js"
import { Event } from "./BankAccountEvent.js"
import * as Money from "./Money.js"

export * from "./BankAccountEvent.js"
export * from "./BankAccountCommand.js"
export * from "./BankAccountError.js"

// ---------------------------------------------------------------------------------------------------------------------
// Stream id
// ---------------------------------------------------------------------------------------------------------------------

/**
 * The category prefix of every bank account stream.
 *
 * @since 0.1.0
 * @category constants
 */
export const streamPrefix = "BankAccount-"

/**
 * The stream id of an account: `"BankAccount-" + accountId`.
 *
 * @since 0.1.0
 * @category stream id
 */
export const streamId = (accountId: string): string => `${streamPrefix}${accountId}`

/**
 * The account id a bank account stream id names, or none for a stream of another category.
 *
 * @since 0.1.0
 * @category stream id
 */
export const accountIdOf = (streamId: string): Option.Option<string> =>
  streamId.startsWith(streamPrefix) && streamId.length > streamPrefix.length
    ? Option.some(streamId.slice(streamPrefix.length))
    : Option.none()

// ---------------------------------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------------------------------

/**
 * The state of an account no event has opened.
 *
 * @since 0.1.0
 * @category state
 */
export const NotOpened = Schema.TaggedStruct("NotOpened", {})

/**
 * The state of an open account: it takes deposits and withdrawals.
 *
 * @since 0.1.0
 * @category state
 */
export const Active = Schema.TaggedStruct("Active", {
  accountId: Schema.String,
  ownerName: Schema.String,
  balance: Money.Money
})

/**
 * The state of a closed account (its balance is zero, since only an empty account can be closed).
 *
 * @since 0.1.0
 * @category state
 */
export const Closed = Schema.TaggedStruct("Closed", {
  accountId: Schema.String,
  ownerName: Schema.String,
  balance: Money.Money,
  reason: Schema.String
})

/**
 * The state of an account, folded from its events (a Schema, so that snapshots can encode it).
 *
 * @since 0.1.0
 * @category state
 */
export const State = Schema.Union(NotOpened, Active, Closed)

/**
 * The state of an account.
 *
 * @since 0.1.0
 * @category state
 */
export type State = typeof State.Type

/**
 * The state before any event: no account.
 *
 * @since 0.1.0
 * @category state
 */
export const initialState: State = { _tag: "NotOpened" }

/**
 * The state after one event. Total and pure: an event that does not fit the state (which `decide` never produces)
 * leaves the state as it was.
 *
 * @since 0.1.0
 * @category state
 */
export const evolve = (state: State, event: Event): State => {
  switch (event._tag) {
    case "AccountOpened":
      return state._tag === "NotOpened"
        ? { _tag: "Active", accountId: event.accountId, ownerName: event.ownerName, balance: Money.zero }
        : state
    case "MoneyDeposited":
    case "MoneyWithdrawn":
      return state._tag === "Active" ? { ...state, balance: event.balanceAfter } : state
    case "AccountClosed":
      return state._tag === "Active" ? { ...state, _tag: "Closed", reason: event.reason } : state
    default:
      return absurd(event)
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Decisions
// ---------------------------------------------------------------------------------------------------------------------

type Decision = Either.Either<ReadonlyArray<Event>, BankAccountError>

// Commands come from JSON, forms and queues: every field `decide` reads is checked for its type first.
const isValidDate = (date: unknown): boolean => date instanceof Date && !Number.isNaN(date.getTime())

const decideOpen = (command: typeof OpenAccount.Type, state: State): Decision => {
  if (state._tag !== "NotOpened") return Either.left(new AccountAlreadyOpened({ accountId: state.accountId }))
  const { accountId, openedAt, ownerName } = command
  if (typeof accountId !== "string") {
    return Either.left(new InvalidAccountId({ accountId: String(accountId), reason: "the account id must be text" }))
  }
  if (typeof ownerName !== "string") {
    return Either.left(new InvalidOwnerName({ ownerName: String(ownerName), reason: "the owner name must be text" }))
  }
  if (accountId.trim().length === 0) {
    return Either.left(new InvalidAccountId({ accountId, reason: "the account id must not be blank" }))
  }
  const stream = StreamId.validate(streamId(accountId))
  if (Either.isLeft(stream)) return Either.left(new InvalidAccountId({ accountId, reason: stream.left.reason }))
  if (ownerName.trim().length === 0) {
    return Either.left(new InvalidOwnerName({ ownerName, reason: "the owner name must not be blank" }))
  }
  if (!isValidDate(openedAt)) return Either.left(new InvalidDate({ field: "openedAt" }))
  return Either.right([{ _tag: "AccountOpened", accountId, ownerName, openedAt }])
}

const decideDeposit = (command: typeof Deposit.Type, state: State): Decision => {
  if (state._tag === "NotOpened") return Either.left(new AccountNotFound())
  if (state._tag === "Closed") return Either.left(new AccountNotActive({ accountId: state.accountId }))
  return Either.flatMap(Money.validateAmount(command.amount), (amount) =>
    Either.map(
      Money.add(state.balance, amount),
      (balanceAfter): ReadonlyArray<Event> => [{ _tag: "MoneyDeposited", amount, balanceAfter }]
    )
  )
}

const decideWithdraw = (command: typeof Withdraw.Type, state: State): Decision => {
  if (state._tag === "NotOpened") return Either.left(new AccountNotFound())
  if (state._tag === "Closed") return Either.left(new AccountNotActive({ accountId: state.accountId }))
  return Either.flatMap(Money.validateAmount(command.amount), (amount): Decision => {
    if (amount > state.balance) return Either.left(new InsufficientFunds({ balance: state.balance, amount }))
    return Either.right([{ _tag: "MoneyWithdrawn", amount, balanceAfter: Money.subtract(state.balance, amount) }])
  })
}

const decideClose = (command: typeof CloseAccount.Type, state: State): Decision => {
  if (state._tag === "NotOpened") return Either.left(new AccountNotFound())
  if (state._tag === "Closed") return Either.left(new AccountAlreadyClosed({ accountId: state.accountId }))
  if (state.balance > 0) return Either.left(new PositiveBalance({ balance: state.balance }))
  if (typeof command.reason !== "string") return Either.left(new InvalidCommand({ reason: "the reason must be text" }))
  if (!isValidDate(command.closedAt)) return Either.left(new InvalidDate({ field: "closedAt" }))
  return Either.right([{ _tag: "AccountClosed", reason: command.reason, closedAt: command.closedAt }])
}

/**
 * Decides the events a command records against the current state, or the rule it breaks. Pure and total: it never
 * throws, whatever it is given (a command that is not one, or has fields of the wrong types, is a typed error), reads
 * no clock and draws no random numbers (times come in the commands).
 *
 * @since 0.1.0
 * @category decide
 */
export const decide = (command: Command, state: State): Decision => {
  if (typeof command !== "object" || command === null) {
    return Either.left(new InvalidCommand({ reason: `a command must be an object, not ${String(command)}` }))
  }
  switch (command._tag) {
    case "OpenAccount":
      return decideOpen(command, state)
    case "Deposit":
      return decideDeposit(command, state)
    case "Withdraw":
      return decideWithdraw(command, state)
    case "CloseAccount":
      return decideClose(command, state)
    default: {
      const unknown: never = command
      const tag = String((unknown as { readonly _tag?: unknown })._tag)
      return Either.left(new InvalidCommand({ reason: `unknown command ${JSON.stringify(tag.slice(0, 80))}` }))
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Decider, codec, handler
// ---------------------------------------------------------------------------------------------------------------------

/**
 * The bank account decider: `initialState`, `decide` and `evolve` together.
 *
 * @since 0.1.0
 * @category decider
 */
export const decider: Decider.Decider<Command, Event, State, BankAccountError> = Decider.make({
  initialState,
  decide,
  evolve
})

/**
 * Encodes bank account events to stored `{ type, data }` JSON and decodes them back.
 *
 * @since 0.1.0
 * @category decider
 */
export const codec: EventCodec.EventCodec<Event> = EventCodec.make(Event)

/**
 * Handles bank account commands against an `EventStore`: load the stream, decide, append, retry on conflicts.
 *
 * @since 0.1.0
 * @category decider
 */
export const handler: CommandHandler.CommandHandler<Command, Event, State, BankAccountError> = CommandHandler.make({
  decider,
  codec
})
