/**
 * The bank: rules across accounts, each one decision over the events it needs (a `DecisionModel`), appended under the
 * condition that none of those events changed since they were read — no saga and no stream per rule:
 *
 * - **transfer**: both accounts' states, one decision, both accounts' events in one conditional `appendMany`;
 * - **open**: an account number is unique across the bank (the openings tagged with it);
 * - **withdraw**: a customer's withdrawals on one day, across all of their accounts, stay within the daily limit (the
 *   day comes in the command; nothing here reads a clock).
 *
 * The `decide*` functions are pure and total (typed errors, never a throw). A writer that lost a race (its condition
 * failed) reads again and decides again. Accounts' events are tagged by `BankAccount.tagsOf`, by the account handler
 * as well, so the conditions see every write to an account.
 *
 * @since 0.1.0
 */
import { Clock, Context, Effect, Either, Layer, Option } from "effect"
import { DecisionModel, EventStore, type EventStoreError, ExpectedVersion, Query } from "@chronicle/core"
import * as BankAccount from "./BankAccount.js"
import * as Money from "./Money.js"

type Decision = Either.Either<ReadonlyArray<DecisionModel.Append<BankAccount.Event>>, BankAccount.BankError>

/**
 * An account's state as its events leave it (every event of an account carries its tag).
 *
 * @since 0.1.0
 * @category projections
 */
export const account = (accountId: string): DecisionModel.Projection<BankAccount.State, BankAccount.Event> => ({
  query: Query.item({ tags: [BankAccount.accountTag(accountId)] }),
  initial: BankAccount.initialState,
  evolve: BankAccount.evolve
})

/**
 * Whether an opening took an account number.
 *
 * @since 0.1.0
 * @category projections
 */
export const numberTaken = (accountNumber: string): DecisionModel.Projection<boolean, BankAccount.Event> => ({
  query: Query.item({ types: ["AccountOpened"], tags: [BankAccount.accountNumberTag(accountNumber)] }),
  initial: false,
  evolve: () => true
})

/**
 * The customer an account was opened for, if any.
 *
 * @since 0.1.0
 * @category projections
 */
export const customerOf = (accountId: string): DecisionModel.Projection<string | undefined, BankAccount.Event> => ({
  query: Query.item({ types: ["AccountOpened"], tags: [BankAccount.accountTag(accountId)] }),
  initial: undefined,
  evolve: (customer, event) => (event._tag === "AccountOpened" ? event.customerId : customer)
})

/**
 * What a customer has withdrawn under the daily limit on a day, across all of their accounts.
 *
 * @since 0.1.0
 * @category projections
 */
export const withdrawnOn = (customerId: string, day: string): DecisionModel.Projection<number, BankAccount.Event> => ({
  query: Query.item({
    types: ["MoneyWithdrawn"],
    tags: [BankAccount.customerTag(customerId), BankAccount.dayTag(day)]
  }),
  initial: 0,
  evolve: (sum, event) => (event._tag === "MoneyWithdrawn" ? sum + event.amount : sum)
})

/**
 * Decides an opening through the bank: a customer and an account number are required, and the number must be free.
 *
 * @since 0.1.0
 * @category decide
 */
export const decideOpen = (
  command: typeof BankAccount.OpenAccount.Type,
  state: { readonly account: BankAccount.State; readonly numberTaken: boolean }
): Decision => {
  if (command.customerId === undefined || command.accountNumber === undefined) {
    return Either.left(
      new BankAccount.InvalidCommand({ reason: "the bank opens an account for a customer under an account number" })
    )
  }
  return Either.flatMap(BankAccount.decide(command, state.account), (events) =>
    state.numberTaken
      ? Either.left(new BankAccount.AccountNumberTaken({ accountNumber: command.accountNumber! }))
      : Either.right([
          { streamId: BankAccount.streamId(command.accountId), events, expectedVersion: ExpectedVersion.noStream }
        ])
  )
}

/**
 * Decides a transfer on both accounts' states: the source must hold the amount and the target must be open; the
 * source's withdrawal and the target's deposit are recorded together.
 *
 * @since 0.1.0
 * @category decide
 */
export const decideTransfer = (
  command: typeof BankAccount.TransferMoney.Type,
  state: { readonly from: BankAccount.State; readonly to: BankAccount.State }
): Decision => {
  const { amount, from, to } = command
  for (const accountId of [from, to]) {
    if (typeof accountId !== "string" || accountId.trim().length === 0) {
      return Either.left(new BankAccount.InvalidAccountId({ accountId: String(accountId), reason: "must be text" }))
    }
  }
  if (from === to) return Either.left(new BankAccount.SameAccount({ accountId: from }))
  return Either.flatMap(BankAccount.decide({ _tag: "Withdraw", amount }, state.from), (withdrawn) =>
    Either.map(BankAccount.decide({ _tag: "Deposit", amount }, state.to), (deposited) => [
      { streamId: BankAccount.streamId(from), events: withdrawn },
      { streamId: BankAccount.streamId(to), events: deposited }
    ])
  )
}

const isDay = (day: unknown): day is string =>
  typeof day === "string" && /^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(Date.parse(day))

/**
 * Decides a withdrawal within a daily limit: the account must be the customer's, and what the customer withdrew that
 * day across all of their accounts plus the amount must not pass the limit.
 *
 * @since 0.1.0
 * @category decide
 */
export const decideWithdraw =
  (limit: Money.Money) =>
  (
    command: typeof BankAccount.WithdrawWithinLimit.Type,
    state: {
      readonly account: BankAccount.State
      readonly customer: string | undefined
      readonly withdrawn: number
    }
  ): Decision => {
    const { accountId, customerId, day } = command
    if (!isDay(day)) return Either.left(new BankAccount.InvalidDate({ field: "day" }))
    if (state.account._tag === "NotOpened") return Either.left(new BankAccount.AccountNotFound())
    if (typeof customerId !== "string" || state.customer !== customerId) {
      return Either.left(new BankAccount.CustomerMismatch({ accountId, customerId: String(customerId) }))
    }
    return Either.flatMap(Money.validateAmount(command.amount), (amount): Decision => {
      const withdrawn = Money.unsafeMake(state.withdrawn)
      if (state.withdrawn + amount > limit) {
        return Either.left(new BankAccount.DailyLimitExceeded({ customerId, day, limit, withdrawn, amount }))
      }
      return Either.map(BankAccount.decide({ _tag: "Withdraw", amount }, state.account), (events) => [
        {
          streamId: BankAccount.streamId(accountId),
          events: events.map((event) => (event._tag === "MoneyWithdrawn" ? { ...event, customerId, day } : event))
        }
      ])
    })
  }

/**
 * The default daily withdrawal limit per customer: 1,000.00.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultDailyLimit: Money.Money = Money.unsafeMake(100_000)

/**
 * What a decision of the bank can fail with: a rule, or the store.
 *
 * @since 0.1.0
 * @category service
 */
export type DecisionError =
  | BankAccount.BankError
  | EventStore.AppendError
  | EventStore.ReadError
  | EventStoreError.EventDecodeError

/**
 * The bank's decisions across accounts. Each answers the appends it made (one per account it wrote).
 *
 * @since 0.1.0
 * @category service
 */
export class Bank extends Context.Tag("@chronicle/bank-account/Bank")<
  Bank,
  {
    /** Opens an account for a customer under an account number no other account has (the time from `Clock`). */
    readonly open: (
      accountId: string,
      opening: { readonly ownerName: string; readonly customerId: string; readonly accountNumber: string }
    ) => Effect.Effect<ReadonlyArray<EventStore.AppendResult>, DecisionError>
    /** Moves an amount from one account to another, atomically. */
    readonly transfer: (
      from: string,
      to: string,
      amount: number
    ) => Effect.Effect<ReadonlyArray<EventStore.AppendResult>, DecisionError>
    /** Takes an amount out of a customer's account on a day, within the customer's daily limit. */
    readonly withdraw: (
      accountId: string,
      withdrawal: { readonly customerId: string; readonly amount: number; readonly day: string }
    ) => Effect.Effect<ReadonlyArray<EventStore.AppendResult>, DecisionError>
  }
>() {}

const options: DecisionModel.Options<BankAccount.Event> = {
  codec: BankAccount.codec,
  tagsOf: (event, stream) =>
    BankAccount.tagsOf(
      event,
      Option.getOrElse(BankAccount.accountIdOf(stream), () => stream)
    )
}

/**
 * Builds the bank over the `EventStore` in context, with a daily withdrawal limit (default `defaultDailyLimit`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (config?: {
  readonly dailyLimit?: Money.Money
}): Effect.Effect<Bank["Type"], never, EventStore.EventStore> =>
  Effect.map(EventStore.EventStore, (store) => {
    const decideWithin = decideWithdraw(config?.dailyLimit ?? defaultDailyLimit)
    const run = <S>(model: DecisionModel.DecisionModel<S, BankAccount.Event>, decide: (state: S) => Decision) =>
      Effect.provideService(DecisionModel.handle(model, decide, options), EventStore.EventStore, store)
    return {
      open: (accountId, opening) =>
        Effect.flatMap(Clock.currentTimeMillis, (millis) =>
          run(
            DecisionModel.make({ account: account(accountId), numberTaken: numberTaken(opening.accountNumber) }),
            (state) => decideOpen({ _tag: "OpenAccount", accountId, ...opening, openedAt: new Date(millis) }, state)
          ).pipe(
            // The stream exists although no event tagged with the account says so (written before tags).
            Effect.catchTag("WrongExpectedVersion", () =>
              Effect.fail(new BankAccount.AccountAlreadyOpened({ accountId }))
            )
          )
        ),
      transfer: (from, to, amount) =>
        run(DecisionModel.make({ from: account(from), to: account(to) }), (state) =>
          decideTransfer({ _tag: "TransferMoney", from, to, amount }, state)
        ),
      withdraw: (accountId, withdrawal) =>
        run(
          DecisionModel.make({
            account: account(accountId),
            customer: customerOf(accountId),
            withdrawn: withdrawnOn(withdrawal.customerId, withdrawal.day)
          }),
          (state) => decideWithin({ _tag: "WithdrawWithinLimit", accountId, ...withdrawal }, state)
        )
    }
  })

/**
 * The bank over the `EventStore` the application provides.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (config?: {
  readonly dailyLimit?: Money.Money
}): Layer.Layer<Bank, never, EventStore.EventStore> => Layer.effect(Bank, make(config))
