/**
 * Seeds bank accounts with a deterministic history: each account's commands are decided in memory by the
 * BankAccount decider and appended as one batch, expecting the stream not to exist.
 *
 * @since 0.1.0
 */
import { BankAccount } from "@chronicle/bank-account"
import { EventStore, ExpectedVersion } from "@chronicle/core"
import { Clock, Effect, Either } from "effect"

/**
 * The commands of account `i`: open, then `transactions` deposits and withdrawals that never overdraw.
 *
 * @since 0.1.0
 * @category seeding
 */
export const commandsFor = (i: number, transactions: number, now: Date): Array<BankAccount.Command> => {
  const accountId = `ACC-${String(i).padStart(4, "0")}`
  const commands: Array<BankAccount.Command> = [
    BankAccount.OpenAccount.make({ accountId, ownerName: `Owner ${i}`, openedAt: now })
  ]
  for (let t = 0; t < transactions; t++) {
    const amount = ((i * 7919 + t * 104_729) % 50_000) + 100
    commands.push(
      t % 3 === 2 ? BankAccount.Withdraw.make({ amount: Math.floor(amount / 4) }) : BankAccount.Deposit.make({ amount })
    )
  }
  return commands
}

/**
 * Appends the history of accounts `0 .. accounts-1` whose streams do not exist yet; returns how many events it wrote.
 *
 * @since 0.1.0
 * @category seeding
 */
export const seed = (accounts: number, transactions: number) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const now = new Date(yield* Clock.currentTimeMillis)
    let written = 0
    for (let i = 0; i < accounts; i++) {
      const commands = commandsFor(i, transactions, now)
      const streamId = BankAccount.streamId((commands[0] as { readonly accountId: string }).accountId)
      if ((yield* store.streamVersion(streamId)) > 0) continue
      let state = BankAccount.initialState
      const events: Array<BankAccount.Event> = []
      for (const command of commands) {
        const decided = BankAccount.decide(command, state)
        if (Either.isLeft(decided)) continue
        for (const event of decided.right) {
          state = BankAccount.evolve(state, event)
          events.push(event)
        }
      }
      const encoded = yield* BankAccount.codec.encodeAll(events, { streamId })
      yield* store.append(streamId, encoded, { expectedVersion: ExpectedVersion.noStream })
      written += encoded.length
    }
    return written
  })
