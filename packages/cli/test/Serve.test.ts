// `chronicle serve` through the real bin: its help, its mistakes (one line, the exit code of their kind, nothing
// created), and the write access its flags give a running server (a free port each, stopped with Ctrl-C's signal).
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Bin from "./fixtures/Bin.js"
import * as Seed from "./fixtures/Seed.js"
import * as Stores from "./fixtures/Stores.js"

const dir = Bin.tempDirectory("serve")
const db = path.join(dir, "served.db")
beforeAll(async () => {
  await Seed.standard(Stores.sqliteFile(db))
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

/** Starts `chronicle serve` on a free port with `args`; `use` gets the URL it listens on; then it is stopped. */
const serving = async (args: ReadonlyArray<string>, use: (url: string) => Promise<void>, env = {}) => {
  const running = Bin.start(["serve", "--db", db, "--port", "0", ...args], { env })
  try {
    await Bin.eventually(() => running.stdout().includes("listening on") || running.process.exitCode !== null, 90_000)
    const url = /listening on (http:\/\/\S+)/.exec(running.stdout())?.[1]
    expect(url, running.stderr()).toBeDefined()
    const port = new URL(url!).port
    await use(`http://127.0.0.1:${port}`)
  } finally {
    running.process.kill("SIGINT")
  }
  const outcome = await running.ended
  expect(outcome.stderr).toBe("")
}

/** Appends one event to `streamId`; returns the status and the problem's or result's JSON. */
const append = async (url: string, streamId: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${url}/api/streams/${streamId}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ events: [{ type: "Noted", data: { n: 1 } }] })
  })
  return { status: response.status, json: (await response.json()) as Record<string, unknown> }
}

const versionOf = async (url: string, streamId: string) => {
  const response = await fetch(`${url}/api/streams/${streamId}`)
  return response.status === 404 ? 0 : ((await response.json()) as { readonly version: number }).version
}

describe.concurrent("chronicle serve", () => {
  it("--help describes the command with its examples", async () => {
    const outcome = await Bin.run(["serve", "--help"])
    expect(outcome.status).toBe(0)
    expect(outcome.stderr).toBe("")
    expect(outcome.stdout).toContain("Serves the store over HTTP until interrupted")
    expect(outcome.stdout).toContain("$ chronicle serve --db app.db")
    expect(outcome.stdout).toContain('$ chronicle serve --db app.db --host 0.0.0.0 --token "$CHRONICLE_TOKEN"')
    for (const flag of ["--host HOST", "--port N", "--token T", "--read-only", "--cors ORIGIN", "--max-body BYTES"]) {
      expect(outcome.stdout).toContain(flag)
    }
  })

  it.each([
    ["abc", '--port needs a whole number from 0 to 65535, not "abc"; see chronicle serve --help'],
    ["70000", '--port needs a whole number from 0 to 65535, not "70000"; see chronicle serve --help'],
    ["-1", '--port needs a whole number from 0 to 65535, not "-1"; see chronicle serve --help']
  ])("a bad --port %s is one line and exit code 2", async (port, problem) => {
    const outcome = await Bin.run(["serve", "--db", db, "--port", port])
    expect(outcome.status).toBe(2)
    expect(outcome.stdout).toBe("")
    expect(outcome.stderr).toBe(`chronicle: ${problem}\n`)
  })

  it("a database that does not exist is one line, exit code 1, and is not created", async () => {
    const missing = path.join(dir, "not-yet", "app.db")
    const outcome = await Bin.run(["serve", "--db", missing, "--port", "0"])
    expect(outcome.status).toBe(1)
    expect(outcome.stdout).toBe("")
    expect(outcome.stderr).toBe(`chronicle: no such file: ${missing}\n`)
    expect(fs.existsSync(missing)).toBe(false)
    const beside = path.join(dir, "missing.db")
    expect((await Bin.run(["serve", "--db", beside, "--port", "0"])).stderr).toBe(
      `chronicle: no such file: ${beside}\n`
    )
    expect(fs.existsSync(beside)).toBe(false)
  })

  it("on loopback without a token, writes are taken", async () => {
    await serving([], async (url) => {
      const appended = await append(url, "serve-loopback")
      expect(appended.status).toBe(201)
      expect(appended.json.version).toBe(1)
      expect(await versionOf(url, "serve-loopback")).toBe(1)
    })
  })

  it("--host other than loopback without a token refuses every write (403) and still serves reads", async () => {
    await serving(["--host", "0.0.0.0"], async (url) => {
      const refused = await append(url, "serve-open-host")
      expect(refused.status).toBe(403)
      expect(refused.json.detail).toBe(
        "writes on 0.0.0.0 need a token: start the server with --token or CHRONICLE_TOKEN"
      )
      expect(await versionOf(url, "serve-open-host")).toBe(0)
      expect((await fetch(`${url}/api/streams/Account-1`)).status).toBe(200)
    })
  })

  it("--host other than loopback with CHRONICLE_TOKEN takes writes carrying it, and only those", async () => {
    await serving(
      ["--host", "0.0.0.0"],
      async (url) => {
        expect((await append(url, "serve-token")).status).toBe(401)
        expect((await append(url, "serve-token", { authorization: "Bearer wrong" })).status).toBe(403)
        expect(await versionOf(url, "serve-token")).toBe(0)
        expect((await append(url, "serve-token", { authorization: "Bearer s3cret" })).status).toBe(201)
        expect(await versionOf(url, "serve-token")).toBe(1)
      },
      { CHRONICLE_TOKEN: "s3cret" }
    )
  })

  it("--read-only refuses every write (403), writes nothing, and serves reads", async () => {
    await serving(["--read-only"], async (url) => {
      const refused = await append(url, "serve-read-only")
      expect(refused.status).toBe(403)
      expect(refused.json.detail).toBe("this server is read-only")
      expect(await versionOf(url, "serve-read-only")).toBe(0)
      const account = (await (await fetch(`${url}/api/streams/Account-1`)).json()) as { readonly version: number }
      expect(account.version).toBeGreaterThan(0)
    })
  })
})
