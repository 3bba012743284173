/**
 * Random UUIDs, written as flat strings. `crypto.randomUUID()` builds its text by concatenating pieces, which V8 keeps
 * as a tree of string pieces until something flattens it: each generated id a store keeps in memory then costs about
 * 480 bytes instead of 56, and the pieces weigh on every garbage collection. Here the random bytes come in bulk from
 * `crypto.getRandomValues` (each byte used once) and the 36 characters are written in one piece.
 *
 * @internal
 */

const ids = 256
const pool = new Uint8Array(16 * ids)
let offset = pool.length
const codes: Array<number> = new Array(36)
const hexDigits = Array.from("0123456789abcdef", (digit) => digit.charCodeAt(0))
const dash = 45

/** Writes 16 random bytes into `codes` as UUID text, with the given version digit and the RFC 9562 variant. */
const fill = (version: number) => {
  if (offset === pool.length) {
    crypto.getRandomValues(pool)
    offset = 0
  }
  let at = 0
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) codes[at++] = dash
    let byte = pool[offset + i]!
    if (i === 6) byte = (byte & 0x0f) | (version << 4)
    else if (i === 8) byte = (byte & 0x3f) | 0x80
    codes[at++] = hexDigits[byte >> 4]!
    codes[at++] = hexDigits[byte & 15]!
  }
  offset += 16
}

const text = () => String.fromCharCode.apply(null, codes)

/** A random version 4 UUID, lower case. */
export const randomUuid = (): string => {
  fill(4)
  return text()
}

/** The most a UUID of `uuidWithNumber` can carry: 13 hex digits. */
export const maxNumber = 16 ** 13 - 1

/**
 * A version 8 UUID (RFC 9562's layout for custom ids), lower case, whose 23rd and last 12 hex digits hold `n` (a whole
 * number up to `maxNumber`) and whose other digits are random but for the version and variant: 70 random bits.
 */
export const uuidWithNumber = (n: number): string => {
  fill(8)
  let rest = n
  for (let at = 35; at >= 24; at--) {
    codes[at] = hexDigits[rest % 16]!
    rest = Math.floor(rest / 16)
  }
  codes[22] = hexDigits[rest % 16]!
  return text()
}

const variants = new Set(["8", "9", "a", "b"])

/** The number a lower-case UUID in the layout of `uuidWithNumber` carries, else `undefined`. */
export const numberOf = (id: string): number | undefined => {
  if (id.length !== 36 || id[14] !== "8" || !variants.has(id[19]!) || id[23] !== "-") return undefined
  const n = Number.parseInt(`${id[22]}${id.slice(24)}`, 16)
  return Number.isNaN(n) ? undefined : n
}
