/**
 * The console in a real browser: find a stream, inspect an event, move the time-travel slider and see the balance
 * change, and see an event appended through the API appear in the live tail. A failing test leaves a screenshot in
 * `packages/http/e2e/failures/`; the passing run saves the README's screenshot (`docs/console.png`).
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { BankAccount } from "@chronicle/bank-account"
import { SqliteCheckpointStore, SqliteEventStore } from "@chronicle/store-sqlite"
import { HttpServer } from "@effect/platform"
import { Context, Effect, Exit, Layer, Scope } from "effect"
import { type Browser, chromium, type Page } from "playwright-core"
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import { Deciders, Server } from "../src/index.js"

const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"
const root = path.resolve(import.meta.dirname, "../../..")
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chronicle-e2e-"))

const bank = Deciders.register({
  name: "BankAccount",
  streamPrefix: BankAccount.streamPrefix,
  decider: BankAccount.decider,
  codec: BankAccount.codec,
  state: BankAccount.State
})

let scope: Scope.CloseableScope
let base = ""
let browser: Browser
let page: Page

const post = (streamId: string, events: ReadonlyArray<unknown>) =>
  fetch(`${base}/api/streams/${encodeURIComponent(streamId)}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ events })
  })

beforeAll(async () => {
  scope = Effect.runSync(Scope.make())
  const store = Layer.provideMerge(
    SqliteCheckpointStore.layer(),
    SqliteEventStore.layerWithClient({ filename: path.join(dir, "console.db") })
  )
  const context = await Effect.runPromise(
    Layer.buildWithScope(Server.layer({ port: 0, deciders: [bank] }).pipe(Layer.provide(store)), scope)
  )
  base = `http://127.0.0.1:${(Context.get(context, HttpServer.HttpServer).address as HttpServer.TcpAddress).port}`
  const opened = { accountId: "ACC-001", ownerName: "Ada Lovelace", openedAt: "2024-01-01T09:00:00.000Z" }
  const openedId = crypto.randomUUID()
  const first = await post("BankAccount-ACC-001", [
    { id: openedId, type: "AccountOpened", data: opened, metadata: { correlationId: openedId } },
    {
      id: crypto.randomUUID(),
      type: "MoneyDeposited",
      data: { amount: 150000, balanceAfter: 150000 },
      metadata: { causationId: openedId }
    },
    { id: crypto.randomUUID(), type: "MoneyWithdrawn", data: { amount: 40000, balanceAfter: 110000 } },
    { id: crypto.randomUUID(), type: "MoneyDeposited", data: { amount: 25000, balanceAfter: 135000 } }
  ])
  expect(first.status, await first.clone().text()).toBe(201)
  await post("BankAccount-ACC-002", [
    {
      type: "AccountOpened",
      data: { accountId: "ACC-002", ownerName: "Grace Hopper", openedAt: "2024-01-02T09:00:00.000Z" }
    },
    { type: "MoneyDeposited", data: { amount: 200000, balanceAfter: 200000 } }
  ])
  await post("Order-7", [{ type: "OrderPlaced", data: { items: 3 } }])
  browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] })
  page = await browser.newPage({ viewport: { width: 1400, height: 860 } })
})

afterEach(async (context) => {
  if (context.task.result?.state === "fail" && page !== undefined) {
    const failures = path.join(import.meta.dirname, "failures")
    fs.mkdirSync(failures, { recursive: true })
    await page.screenshot({
      path: path.join(failures, `${context.task.name.replace(/\W+/g, "-")}.png`),
      fullPage: true
    })
  }
})

afterAll(async () => {
  await browser?.close()
  await Effect.runPromise(Scope.close(scope, Exit.void))
})

describe("the console", () => {
  it("finds a stream by prefix, inspects an event, travels in time, and tails live events", async () => {
    await page.goto(base)
    await page.fill("#prefix", "BankAccount-ACC-00")
    await page.locator("#streams li", { hasText: "BankAccount-ACC-001" }).click()
    await expect.poll(() => page.locator("#events tbody tr").count()).toBe(4)
    expect(await page.locator("#streams li").count()).toBe(2)

    await page.locator("#events tbody tr", { hasText: "MoneyDeposited" }).first().click()
    await expect.poll(() => page.textContent("#inspected-data")).toContain("150000")
    await page.locator("#inspected a.event-link").click()
    await expect.poll(() => page.textContent("#inspected-data")).toContain("Ada Lovelace")

    await expect.poll(() => page.textContent("#balance")).toContain("1,350.00")
    await page.locator("#slider").fill("2")
    await expect.poll(() => page.textContent("#balance")).toContain("1,500.00")
    await page.locator("#slider").fill("3")
    await expect.poll(() => page.textContent("#balance")).toContain("1,100.00")
    expect(await page.textContent("#travel-event")).toContain("MoneyWithdrawn")

    await expect.poll(() => page.textContent("#live-status")).toContain("connected")
    expect((await post("Order-8", [{ type: "OrderShipped", data: { carrier: "ACME" } }])).status).toBe(201)
    await expect.poll(() => page.textContent("#tail")).toContain("Order-8")

    await page.locator("#slider").fill("4")
    await expect.poll(() => page.textContent("#balance")).toContain("1,350.00")
    fs.mkdirSync(path.join(root, "docs"), { recursive: true })
    await page.screenshot({ path: path.join(root, "docs", "console.png") })
  })
})
