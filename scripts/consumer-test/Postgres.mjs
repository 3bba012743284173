// The PostgreSQL server the scratch applications' programs run on: the one CHRONICLE_PG_URL names, or an embedded
// one (tools/postgres-server, run by the workspace's tsx) for the length of the test; a new database for each run.
import { spawn } from "node:child_process"
import { createRequire } from "node:module"
import * as path from "node:path"
import { fail } from "./Commands.mjs"

/** The server, how it is shown (without its password), a new database on it, and how to stop it. */
export const server = async (root) => {
  const tools = path.join(root, "tools", "postgres-server")
  const pg = createRequire(path.join(tools, "package.json"))("pg")
  const given = process.env.CHRONICLE_PG_URL
  let url = given
  let stop = async () => {}
  if (given === undefined || given === "") {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--conditions=@chronicle/source", path.join(tools, "src", "serve.ts")],
      { cwd: root, stdio: ["pipe", "pipe", "inherit"] }
    )
    url = await new Promise((resolve) => {
      let out = ""
      child.stdout.setEncoding("utf8").on("data", (chunk) => {
        out += chunk
        if (out.includes("\n")) resolve(out.split("\n")[0].trim())
      })
      child.on("exit", (code) => fail(`the embedded PostgreSQL did not start (exit ${code})`))
    })
    child.removeAllListeners("exit")
    stop = () =>
      new Promise((resolve) => {
        child.on("exit", () => resolve())
        child.stdin.end()
      })
  }
  const database = async (name) => {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      await client.query(`CREATE DATABASE "${name}"`)
    } finally {
      await client.end()
    }
    const target = new URL(url)
    target.pathname = `/${name}`
    return target.toString()
  }
  const shown = new URL(url)
  if (shown.password !== "") shown.password = "***"
  return { shown: shown.toString(), database, stop }
}
