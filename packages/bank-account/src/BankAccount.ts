/**
 * The bank account: the reference domain of Chronicle. It reads in Equinox's order: stream id, events (the storage
 * contract, in `BankAccountEvent`), state (`BankAccountState`), commands (`BankAccountCommand`), errors
 * (`BankAccountError`), `decide`, then the decider, codec and command handler, and last the `BankAccount` service: the
 * face applications use, which takes account ids and never lets a caller assemble a stream id. Everything is
 * re-exported here, so users write `BankAccount.Deposit`, `BankAccount.MoneyDeposited`, `BankAccount.State`,
 * `BankAccount.InsufficientFunds`.
 *
 * @since 0.1.0
 */
import { CommandHandler, Decider, EventCodec, EventStore, StreamId } from "@chronicle/core"
import { Clock, Context, Effect, Either, Layer, Option } from "effect"
import type { CloseAccount, Command, Deposit, OpenAccount, Withdraw } from "./BankAccountCommand.js"
import {
  AccountAlreadyClosed,
  AccountIdMismatch,
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
import { evolve, initialState, type State } from "./BankAccountState.js"
import { tagsOf } from "./BankAccountTags.js"
import * as Money from "./Money.js"

export * from "./BankAccountEvent.js"
export * from "./BankAccountState.js"
export * from "./BankAccountCommand.js"
export * from "./BankAccountError.js"
export * from "./BankAccountTags.js"

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
  const { accountNumber, customerId } = command
  for (const [field, value] of [
    ["customerId", customerId],
    ["accountNumber", accountNumber]
  ] as const) {
    if (value !== undefined && (typeof value !== "string" || value.trim().length === 0)) {
      return Either.left(new InvalidCommand({ reason: `the ${field} must be non-blank text` }))
    }
  }
  return Either.right([
    {
      _tag: "AccountOpened",
      accountId,
      ownerName,
      openedAt,
      ...(customerId === undefined ? {} : { customerId }),
      ...(accountNumber === undefined ? {} : { accountNumber })
    }
  ])
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
 * Checks that a command may be handled on a stream: an `OpenAccount` names its account, and only that account's
 * stream may record its opening. Other commands name no account and fit any stream.
 *
 * @since 0.1.0
 * @category decider
 */
export const checkStream = (id: string, command: Command): Either.Either<Command, AccountIdMismatch> =>
  command._tag === "OpenAccount" && streamId(command.accountId) !== id
    ? Either.left(new AccountIdMismatch({ accountId: command.accountId, streamId: id }))
    : Either.right(command)

const unchecked = CommandHandler.make({
  decider,
  codec,
  tagsOf: (event, stream) =>
    tagsOf(
      event,
      Option.getOrElse(accountIdOf(stream), () => stream)
    )
})

/**
 * Handles bank account commands against an `EventStore`: load the stream, decide, append (each event tagged, see
 * `tagsOf`), retry on conflicts. A command for another account's stream fails with `AccountIdMismatch` before
 * anything is read (`checkStream`).
 *
 * @since 0.1.0
 * @category decider
 */
export const handler: CommandHandler.CommandHandler<Command, Event, State, BankAccountError> = {
  ...unchecked,
  handle: (id, command, options) =>
    Either.match(checkStream(id, command), {
      onLeft: Effect.fail,
      onRight: (checked) => unchecked.handle(id, checked, options)
    })
}

// ---------------------------------------------------------------------------------------------------------------------
// Service
// ---------------------------------------------------------------------------------------------------------------------

/**
 * The outcome of a command: the events it recorded, the account's state and version after them.
 *
 * @since 0.1.0
 * @category service
 */
export type Handled = CommandHandler.Handled<Event, State>

/**
 * What a command can fail with: a rule of the domain, a conflict left after the retries, or a store error.
 *
 * @since 0.1.0
 * @category service
 */
export type HandleError = CommandHandler.HandleError<BankAccountError>

/**
 * An operation on one account: the account's id, the operation's own argument (an owner's name, an amount in minor
 * units, a reason), and per-call options such as the metadata of the recorded events.
 *
 * @since 0.1.0
 * @category service
 */
export type Operation<A> = (
  accountId: string,
  argument: A,
  options?: CommandHandler.HandleOptions
) => Effect.Effect<Handled, HandleError>

/**
 * Bank accounts by account id: the face of the domain that applications use. Each method derives the stream id from
 * the account id, and `open` puts the same account id in its command, so a command cannot land in another account's
 * stream and no caller assembles a stream id. Times (`openedAt`, `closedAt`) come from Effect's `Clock`, so a
 * `TestClock` controls them. Amounts are in minor units (cents).
 *
 * @since 0.1.0
 * @category service
 */
export class BankAccount extends Context.Tag("@chronicle/bank-account/BankAccount")<
  BankAccount,
  {
    /** Opens the account for an owner, named by the argument. */
    readonly open: Operation<string>
    /** Pays an amount into the account. */
    readonly deposit: Operation<number>
    /** Takes an amount out of the account. */
    readonly withdraw: Operation<number>
    /** Closes the account, for the reason the argument gives. */
    readonly close: Operation<string>
    /** The account as its events leave it now. */
    readonly load: (accountId: string) => Effect.Effect<CommandHandler.Loaded<State>, CommandHandler.LoadError>
    /** The account as it was after a version of its stream, or at a point in time. */
    readonly loadAt: (
      accountId: string,
      at: CommandHandler.PointInTime
    ) => Effect.Effect<CommandHandler.Loaded<State>, CommandHandler.LoadError>
  }
>() {}

/**
 * Builds the `BankAccount` service over the `EventStore` in context, through `handler`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<BankAccount["Type"], never, EventStore.EventStore> = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  const withStore = <A, E>(effect: Effect.Effect<A, E, EventStore.EventStore>) =>
    Effect.provideService(effect, EventStore.EventStore, store)
  const handle = (accountId: string, command: Command, options?: CommandHandler.HandleOptions) =>
    withStore(handler.handle(streamId(accountId), command, options))
  const now = Effect.map(Clock.currentTimeMillis, (millis) => new Date(millis))
  return {
    open: (accountId, ownerName, options) =>
      Effect.flatMap(now, (openedAt) =>
        handle(accountId, { _tag: "OpenAccount", accountId, ownerName, openedAt }, options)
      ),
    deposit: (accountId, amount, options) => handle(accountId, { _tag: "Deposit", amount }, options),
    withdraw: (accountId, amount, options) => handle(accountId, { _tag: "Withdraw", amount }, options),
    close: (accountId, reason, options) =>
      Effect.flatMap(now, (closedAt) => handle(accountId, { _tag: "CloseAccount", reason, closedAt }, options)),
    load: (accountId) => withStore(handler.load(streamId(accountId))),
    loadAt: (accountId, at) => withStore(handler.loadAt(streamId(accountId), at))
  }
})

/**
 * The `BankAccount` service over the `EventStore` the application provides.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<BankAccount, never, EventStore.EventStore> = Layer.effect(BankAccount, make)
