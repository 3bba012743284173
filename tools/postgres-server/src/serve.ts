/**
 * Runs an embedded PostgreSQL for another program (the consumer test, a manual session): prints its URL on one line,
 * then keeps it running until stdin ends or the process is asked to stop (SIGINT, SIGTERM), and stops it.
 *
 * Usage: `node --import tsx --conditions=@chronicle/source tools/postgres-server/src/serve.ts [name=value ...]`, the
 * arguments being server settings (`fsync=off`).
 *
 * @since 0.1.0
 */
import { start } from "./index.js"

const settings = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const [name, ...value] = arg.split("=")
    return [name!, value.join("=")]
  })
)
const server = await start({ settings })
process.stdout.write(`${server.url}\n`)
let stopping = false
const stop = async () => {
  if (stopping) return
  stopping = true
  await server.stop()
  process.exit(0)
}
process.stdin.on("end", stop)
process.stdin.on("close", stop)
process.stdin.resume()
process.on("SIGINT", stop)
process.on("SIGTERM", stop)
