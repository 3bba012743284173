/**
 * The order in which stores list names (stream ids, checkpoint names): by Unicode code point, as SQLite's `BINARY`
 * collation (UTF-8 bytes) and PostgreSQL's `C` collation compare text. JavaScript's `<` compares UTF-16 code units,
 * which puts characters above U+FFFF before U+E000–U+FFFF.
 *
 * @internal
 */

/** Compares two strings by code point: negative, zero or positive. */
export const compareCodePoints = (a: string, b: string): number => {
  const length = Math.min(a.length, b.length)
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x === y) continue
    // A surrogate (U+D800–U+DFFF) stands for a code point above U+FFFF: it sorts after every other code unit.
    const surrogateX = x >= 0xd800 && x <= 0xdfff
    const surrogateY = y >= 0xd800 && y <= 0xdfff
    if (surrogateX !== surrogateY) return surrogateX ? 1 : -1
    return x - y
  }
  return a.length - b.length
}
