/**
 * The balance of every account, as a pure projection: a left fold of recorded bank account events into a read model
 * keyed by account id. The model is immutable (persistent `HashMap`s); `apply` returns a new model, or the same one
 * when the event changes nothing.
 *
 * @since 0.1.0
 */
import { type EventStore, Position, Projection, type RecordedEvent } from "@chronicle/core"
import { Data, type Effect, HashMap, Number as Num, Option, Order } from "effect"
import { absurd } from "effect/Function"
import * as BankAccount from "./BankAccount.js"
import * as Money from "./Money.js"

/**
 * One account's row in the read model. Rows are `Data` structs, so two models built from the same events are
 * `Equal.equals`.
 *
 * @since 0.1.0
 * @category models
 */
export interface AccountBalance {
  readonly accountId: string
  readonly owner: string
  readonly balance: Money.Money
  readonly status: "active" | "closed"
  /** When the last event that changed this row was recorded. */
  readonly lastUpdated: Date
}

/**
 * The read model: a row per account, the account each stream belongs to, and the global position of the last event
 * applied (the checkpoint; `Position.start` before any).
 *
 * @since 0.1.0
 * @category models
 */
export interface AccountBalances {
  readonly byAccountId: HashMap.HashMap<string, AccountBalance>
  readonly accountIdByStream: HashMap.HashMap<string, string>
  readonly position: Position.Position
}

/**
 * The read model before any event: no accounts, checkpoint `Position.start`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const initial: AccountBalances = Data.struct({
  byAccountId: HashMap.empty<string, AccountBalance>(),
  accountIdByStream: HashMap.empty<string, string>(),
  position: Position.start
})

const updateRow = (
  model: AccountBalances,
  streamId: string,
  position: Position.Position,
  change: (row: AccountBalance) => AccountBalance
): AccountBalances =>
  Option.match(HashMap.get(model.accountIdByStream, streamId), {
    onNone: () => Data.struct({ ...model, position }),
    onSome: (accountId) =>
      Data.struct({ ...model, position, byAccountId: HashMap.modify(model.byAccountId, accountId, change) })
  })

/**
 * Applies one recorded event. An event at or below the checkpoint was applied already and returns the model unchanged
 * (the same object), so re-delivered events are harmless. Events of streams whose opening was never seen only move the
 * checkpoint; a second opening of an account id already known is ignored.
 *
 * @since 0.1.0
 * @category combinators
 */
export const apply = (
  model: AccountBalances,
  event: RecordedEvent.RecordedEvent<BankAccount.Event>
): AccountBalances => {
  if (!Position.isAfter(event.position, model.position)) return model
  const { data, position, recordedAt, streamId } = event
  switch (data._tag) {
    case "AccountOpened": {
      if (HashMap.has(model.byAccountId, data.accountId)) return Data.struct({ ...model, position })
      const row: AccountBalance = Data.struct({
        accountId: data.accountId,
        owner: data.ownerName,
        balance: Money.zero,
        status: "active" as const,
        lastUpdated: recordedAt
      })
      return Data.struct({
        byAccountId: HashMap.set(model.byAccountId, data.accountId, row),
        accountIdByStream: HashMap.set(model.accountIdByStream, streamId, data.accountId),
        position
      })
    }
    case "MoneyDeposited":
    case "MoneyWithdrawn":
      return updateRow(model, streamId, position, (row) =>
        Data.struct({ ...row, balance: data.balanceAfter, lastUpdated: recordedAt })
      )
    case "AccountClosed":
      return updateRow(model, streamId, position, (row) =>
        Data.struct({ ...row, status: "closed" as const, lastUpdated: recordedAt })
      )
    default:
      return absurd(data)
  }
}

/**
 * Applies recorded events in order (a left fold of `apply`).
 *
 * @since 0.1.0
 * @category combinators
 */
export const applyAll = (
  model: AccountBalances,
  events: Iterable<RecordedEvent.RecordedEvent<BankAccount.Event>>
): AccountBalances => {
  let m = model
  for (const event of events) m = apply(m, event)
  return m
}

/**
 * One account's row (balance, owner, status, last update), or none for an account the model has not seen opened.
 *
 * @since 0.1.0
 * @category queries
 */
export const balance = (model: AccountBalances, accountId: string): Option.Option<AccountBalance> =>
  HashMap.get(model.byAccountId, accountId)

const byAccountId: Order.Order<AccountBalance> = Order.mapInput(Order.string, (row) => row.accountId)

/**
 * Every account's row, ordered by account id.
 *
 * @since 0.1.0
 * @category queries
 */
export const accounts = (model: AccountBalances): ReadonlyArray<AccountBalance> =>
  Array.from(HashMap.values(model.byAccountId)).sort(byAccountId)

/**
 * The money held across all accounts, in minor units (exact while it stays below `Number.MAX_SAFE_INTEGER`).
 *
 * @since 0.1.0
 * @category queries
 */
export const totalHeld = (model: AccountBalances): number =>
  Num.sumAll(Array.from(HashMap.values(model.byAccountId), (row) => row.balance))

/**
 * The read model as a projection kept in memory: run it with `ProjectionRunner` (catch up, follow live, rebuild);
 * `model` reads its current value.
 *
 * @since 0.1.0
 * @category projections
 */
export const projection = (
  name = "AccountBalances"
): Effect.Effect<{
  readonly projection: Projection.Projection<BankAccount.Event>
  readonly model: Effect.Effect<AccountBalances>
}> => Projection.inMemory({ name, codec: BankAccount.codec, initial, apply })

/**
 * Time travel: the read model as of a global position (every event up to and including it), replayed from the start.
 *
 * @since 0.1.0
 * @category projections
 */
export const asOf = (
  position: Position.Position
): Effect.Effect<AccountBalances, EventStore.ReadError, EventStore.EventStore> =>
  Projection.foldAt({ codec: BankAccount.codec, initial, apply, until: position })
