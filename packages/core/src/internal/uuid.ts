/**
 * Random (version 4) UUIDs, written as flat strings. `crypto.randomUUID()` builds its text by concatenating pieces,
 * which V8 keeps as a tree of string pieces until something flattens it: each generated id a store keeps in memory
 * then costs about 480 bytes instead of 56, and the pieces weigh on every garbage collection. Here the random bytes
 * come in bulk from `crypto.getRandomValues` (each byte used once) and the 36 characters are written in one piece.
 *
 * @internal
 */

const ids = 256
const pool = new Uint8Array(16 * ids)
let offset = pool.length
const codes: Array<number> = new Array(36)
const hexDigits = Array.from("0123456789abcdef", (digit) => digit.charCodeAt(0))
const dash = 45

/** A random version 4 UUID, lower case. */
export const randomUuid = (): string => {
  if (offset === pool.length) {
    crypto.getRandomValues(pool)
    offset = 0
  }
  let at = 0
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) codes[at++] = dash
    let byte = pool[offset + i]!
    if (i === 6) byte = (byte & 0x0f) | 0x40
    else if (i === 8) byte = (byte & 0x3f) | 0x80
    codes[at++] = hexDigits[byte >> 4]!
    codes[at++] = hexDigits[byte & 15]!
  }
  offset += 16
  return String.fromCharCode.apply(null, codes)
}
