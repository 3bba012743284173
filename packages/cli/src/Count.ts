/**
 * Counts in words, as every program here prints them: digits grouped by thousands ("10,000"), and the noun in the
 * singular for exactly one ("1 event", "2 events").
 *
 * @since 0.1.0
 */

const grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 })

/**
 * A number rounded to a whole one, its thousands separated by commas: `19608.4` → `"19,608"`.
 *
 * @since 0.1.0
 * @category formatting
 */
export const format = (n: number): string => grouped.format(n)

/**
 * A count and its noun: `of(1, "event")` → `"1 event"`, `of(10000, "event")` → `"10,000 events"`.
 *
 * @since 0.1.0
 * @category formatting
 */
export const of = (n: number, singular: string, plural = `${singular}s`): string =>
  `${format(n)} ${n === 1 ? singular : plural}`
