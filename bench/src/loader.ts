/**
 * The load generator of the HTTP workloads (see `HttpLoad`), in a process of its own so that it does not share the
 * server's event loop: it prepares, prints `ready`, waits for a line on stdin, runs, then prints
 * `done <JSON of HttpLoad.Report>` and exits.
 *
 * - `append`: autocannon POSTs `--body` (one event) to `/api/streams/<stream>`, round-robin over `--streams` stream
 *   ids, `--amount` requests over `--connections` connections, without If-Match (expected version `any`);
 * - `read`: autocannon GETs whole streams (`?limit=N`) of the `--streams` stored ones, chosen at random, and checks
 *   that every answer carries N events;
 * - `sse`: `--connections` clients on `/api/events/live`; `ready` once every one is connected, `done` once every one
 *   has received `--events` events, each client checking that the positions (the SSE ids) only grow.
 *
 * Usage: loader.js --mode append|read|sse --url URL --connections C [--amount N --streams S --prefix P --body JSON
 * --events E]
 *
 * @since 0.1.0
 */
import * as http from "node:http"
import * as readline from "node:readline"
import { parseArgs } from "node:util"
import autocannon from "autocannon"
import type { Report } from "./HttpLoad.js"

const { values } = parseArgs({
  options: {
    mode: { type: "string" },
    url: { type: "string" },
    connections: { type: "string" },
    amount: { type: "string", default: "0" },
    streams: { type: "string", default: "1" },
    prefix: { type: "string", default: "" },
    body: { type: "string", default: "" },
    events: { type: "string", default: "0" }
  }
})
const url = values.url!
const connections = Number(values.connections)
const streamIds = Array.from({ length: Number(values.streams) }, (_, n) => encodeURIComponent(`${values.prefix}${n}`))

const go = () =>
  new Promise<void>((resolve) => {
    process.stdout.write("ready\n")
    readline.createInterface({ input: process.stdin }).once("line", () => resolve())
  })

const done = (report: Report) => {
  process.stdout.write(`done ${JSON.stringify(report)}\n`)
  process.exit(0)
}

const load = async (mode: "append" | "read") => {
  const perRead = Number(values.events)
  let next = 0
  let unexpected = 0
  await go()
  const result = await autocannon({
    url,
    connections,
    amount: Number(values.amount),
    timeout: 30,
    requests: [
      mode === "append"
        ? {
            method: "POST",
            headers: { "content-type": "application/json" },
            setupRequest: (request) => ({
              ...request,
              path: `/api/streams/${streamIds[next++ % streamIds.length]}`,
              body: values.body
            })
          }
        : {
            method: "GET",
            setupRequest: (request) => ({
              ...request,
              path: `/api/streams/${streamIds[Math.floor(Math.random() * streamIds.length)]}?limit=${perRead}`
            }),
            onResponse: (status, body) => {
              if (status !== 200 || (JSON.parse(body) as { events: Array<unknown> }).events.length !== perRead) {
                unexpected++
              }
            }
          }
    ]
  })
  done({
    ok: result["2xx"] - unexpected,
    failed: result.non2xx + result.errors + result.timeouts + unexpected,
    latency: { p50: result.latency.p50, p99: result.latency.p99 }
  })
}

/** One live client: counts the events it receives and checks that their positions only grow. */
const client = (expected: number, connected: () => void, finished: () => void) => {
  let received = 0
  let ordered = true
  let last: ReadonlyArray<number> = []
  let buffer = ""
  const request = http.get(`${url}/api/events/live`, (response) => {
    response.setEncoding("utf8")
    connected()
    response.on("data", (chunk: string) => {
      buffer += chunk
      let end = buffer.indexOf("\n\n")
      while (end >= 0) {
        const message = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        end = buffer.indexOf("\n\n")
        if (!message.startsWith("id: ")) continue
        const position = message.slice(4, message.indexOf("\n")).split(":").map(Number)
        if (!isAfter(position, last)) ordered = false
        last = position
        if (++received === expected) finished()
      }
    })
  })
  return { request, received: () => received, ordered: () => ordered }
}

const isAfter = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean => {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0
    const y = b[i] ?? 0
    if (x !== y) return x > y
  }
  return false
}

const live = async () => {
  const expected = Number(values.events)
  let connected = 0
  let finished = 0
  let allConnected = () => {}
  let allFinished = () => {}
  const ready = new Promise<void>((resolve) => {
    allConnected = resolve
  })
  const over = new Promise<void>((resolve) => {
    allFinished = resolve
  })
  const clients = Array.from({ length: connections }, () =>
    client(
      expected,
      () => ++connected === connections && allConnected(),
      () => ++finished === connections && allFinished()
    )
  )
  await ready
  await go()
  await over
  const counts = clients.map((c) => c.received())
  const whole = clients.filter((c) => c.received() === expected && c.ordered()).length
  for (const c of clients) c.request.destroy()
  done({
    ok: whole * expected,
    failed: connections - whole,
    latency: undefined,
    clients: { count: connections, minReceived: Math.min(...counts), maxReceived: Math.max(...counts) }
  })
}

if (values.mode === "sse") await live()
else await load(values.mode === "read" ? "read" : "append")
