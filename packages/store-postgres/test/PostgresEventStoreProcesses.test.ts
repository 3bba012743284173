import { BankAccount } from "@chronicle/bank-account"
import { EventStore, Position, type RecordedEvent } from "@chronicle/core"
import { assert, describe, it } from "@effect/vitest"
import { Array as Arr, Chunk, Context, Effect, Layer, Stream } from "effect"
import { testDatabase } from "@chronicle/postgres-server/vitest"
import { PostgresEventStore } from "../src/index.js"
import type { Report } from "./fixtures/bankReport.js"
import { spawnFixture, waitForOutput } from "./fixtures/children.js"

const url = await testDatabase("processes")

const children = 4
const runMillis = 3000
const initialDeposit = 1000

const readStream = (store: EventStore.EventStore["Type"], streamId: string) =>
  Effect.map(Stream.runCollect(store.readStream(streamId)), Chunk.toReadonlyArray)

describe("PostgresEventStore with several processes, each with its own pool", () => {
  it.scopedLive(
    "4 processes, each with its own state cache, handling commands on shared accounts: every acknowledged event stored once, no gaps, balances add up and never go below zero",
    () =>
      Effect.gen(function* () {
        const store = Context.get(yield* Layer.build(PostgresEventStore.layer({ url })), EventStore.EventStore)
        const accountIds = Array.from({ length: 6 }, (_, i) => `shared-${i}`)
        const setupPositions = new Set<string>()
        yield* Effect.forEach(accountIds, (accountId) =>
          Effect.gen(function* () {
            const streamId = BankAccount.streamId(accountId)
            const opened = yield* BankAccount.handler.handle(
              streamId,
              BankAccount.OpenAccount.make({ accountId, ownerName: "Shared", openedAt: new Date(0) })
            )
            const funded = yield* BankAccount.handler.handle(
              streamId,
              BankAccount.Deposit.make({ amount: initialDeposit })
            )
            for (const position of [...opened.positions, ...funded.positions])
              setupPositions.add(Position.format(position))
          })
        ).pipe(Effect.provideService(EventStore.EventStore, store))

        const running = yield* Effect.forEach(
          Array.from({ length: children }),
          () => spawnFixture("bankChild.ts", [url, String(runMillis), accountIds.join(",")]),
          { concurrency: "unbounded" }
        )
        yield* Effect.forEach(running, (child) => waitForOutput(child, (out) => out.startsWith("ready\n")), {
          concurrency: "unbounded"
        })
        for (const child of running) child.process.stdin!.write("go\n")
        const codes = yield* Effect.forEach(running, (child) => child.exited, { concurrency: "unbounded" })
        for (const [i, code] of codes.entries()) assert.strictEqual(code, 0, `child ${i}: ${running[i]!.stderr()}`)
        const reports = running.map((child) => JSON.parse(child.stdout().trim().split("\n").at(-1)!) as Report)

        // No child met a storage fault or a defect.
        for (const report of reports) {
          assert.deepStrictEqual(report.failures, [])
          assert.isUndefined(report.errors.StorageError)
          assert.isAbove(report.acks.length, 0)
        }

        const stored = yield* Effect.map(Stream.runCollect(store.readAll()), Chunk.toReadonlyArray)
        const byPosition = new Map<string, RecordedEvent.RecordedEvent>(
          stored.map((event) => [Position.format(event.position), event])
        )
        const acked = new Set<string>()
        const expectedBalance = new Map(accountIds.map((id) => [id, initialDeposit]))
        for (const ack of reports.flatMap((report) => report.acks)) {
          const streamId = BankAccount.streamId(ack.accountId)
          for (const [i, position] of ack.positions.entries()) {
            assert.isFalse(acked.has(position), `position ${position} acknowledged twice`)
            acked.add(position)
            const event = byPosition.get(position)
            assert.isDefined(event, `acknowledged position ${position} is not stored`)
            assert.strictEqual(event!.streamId, streamId)
            assert.strictEqual(event!.version, ack.version - ack.positions.length + 1 + i)
            assert.strictEqual(event!.type, ack.events[i]!.type)
            assert.strictEqual((event!.data as { amount: number }).amount, ack.events[i]!.amount)
            const sign = ack.events[i]!.type === "MoneyDeposited" ? 1 : -1
            expectedBalance.set(ack.accountId, expectedBalance.get(ack.accountId)! + sign * ack.events[i]!.amount)
          }
        }
        // Every stored event was acknowledged exactly once (or written by the setup above).
        assert.strictEqual(stored.length, acked.size + setupPositions.size)
        for (const event of stored) {
          const position = Position.format(event.position)
          assert.isTrue(acked.has(position) || setupPositions.has(position))
        }

        for (const accountId of accountIds) {
          const events = yield* readStream(store, BankAccount.streamId(accountId))
          assert.deepStrictEqual(
            events.map((event) => event.version),
            Array.from({ length: events.length }, (_, i) => i + 1)
          )
          let sum = 0
          for (const event of events) {
            const data = event.data as { amount: number; balanceAfter: number }
            if (event.type === "MoneyDeposited") sum += data.amount
            if (event.type === "MoneyWithdrawn") sum -= data.amount
            // Each child decides on its own cached states: a stale one must have cost a retry, never an overdraft.
            if (event.type !== "AccountOpened") assert.strictEqual(data.balanceAfter, sum)
            assert.isAtLeast(sum, 0)
          }
          const loaded = yield* BankAccount.handler
            .load(BankAccount.streamId(accountId))
            .pipe(Effect.provideService(EventStore.EventStore, store))
          assert.strictEqual(loaded.state._tag, "Active")
          if (loaded.state._tag === "Active") {
            assert.strictEqual(loaded.state.balance, sum)
            assert.strictEqual(loaded.state.balance, expectedBalance.get(accountId))
          }
        }
        const positions = stored.map((event) => event.position)
        assert.deepStrictEqual(positions, Arr.sort(positions, Position.Order))
      }),
    60_000
  )
})
