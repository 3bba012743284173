/**
 * Which failures mean the connection to the server was lost (the server stopped or restarted, the network failed, a
 * connection was terminated), as opposed to a fault that would happen again at once: a live subscription rides out the
 * first kind and surfaces the second.
 *
 * @since 0.1.0
 * @internal
 */
import { SqlFault } from "@chronicle/sql"
import { Predicate } from "effect"

/** SQLSTATEs of a lost or refused connection: class 08, the server shutting down or starting, too many clients. */
const lostStates = /^(08...|57P0[1-3]|53300)$/

/** Node's socket errors. */
const socketCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN"
])

/** node-postgres' own messages for a connection that ended, could not be made in time, or is no longer usable. */
const driverMessages =
  /Connection terminated|timeout exceeded when trying to connect|not queryable|Query read timeout|Connection ended/i

const messages = (error: unknown): ReadonlyArray<string> => {
  const found: Array<string> = []
  let current = error
  for (let depth = 0; depth < 8 && Predicate.isObject(current); depth++) {
    const message = (current as { readonly message?: unknown }).message
    if (typeof message === "string") found.push(message)
    current = (current as { readonly cause?: unknown }).cause
  }
  return found
}

/**
 * Whether a failure (a `StorageError`, an `SqlError` or the driver's error) comes from a lost or refused connection.
 *
 * @since 0.1.0
 * @internal
 */
export const isConnectionLost = (error: unknown): boolean => {
  const code = SqlFault.errorCode(error)
  if (code !== undefined && (lostStates.test(code) || socketCodes.has(code))) return true
  return messages(error).some((message) => driverMessages.test(message))
}
