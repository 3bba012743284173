// What both test files check: a decider specification and the laws, with commands generated from BankAccount's Schema.
import { BankAccount, Money } from "@chronicle/bank-account"
import { DeciderSpec, type HandlerLaws } from "@chronicle/testkit"
import { Arbitrary } from "effect"

export const spec = DeciderSpec.make(BankAccount.decider)

export const opened = BankAccount.AccountOpened.make({
  accountId: "ACC-001",
  ownerName: "Jane Doe",
  openedAt: new Date(0)
})
export const deposit = BankAccount.Deposit.make({ amount: 100 })
export const deposited = BankAccount.MoneyDeposited.make({
  amount: Money.unsafeMake(100),
  balanceAfter: Money.unsafeMake(100)
})

export const laws: HandlerLaws.Options<
  BankAccount.Command,
  BankAccount.Event,
  BankAccount.State,
  BankAccount.BankAccountError
> = {
  decider: BankAccount.decider,
  codec: BankAccount.codec,
  // The laws' handler is made from the decider: BankAccount.handler also refuses an opening on another account's
  // stream, which the laws' fresh streams are.
  command: Arbitrary.make(BankAccount.Command),
  numRuns: 50
}
