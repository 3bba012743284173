/**
 * PostgreSQL's filtered reads and the locks of conditional appends.
 *
 * Reads: the positions of each query item — through the tags' primary key (tag, transaction_id, seq), or the
 * (type, transaction_id, seq) index, one range per type — each item's at most `limit`, joined by UNION, then their events in the global
 * order, at most `limit`; global reads stay below the horizon, as `readAll` does.
 *
 * Locks: transaction-level advisory locks on keys hashed from types and tags (`hashtextextended`), all taken in one
 * statement in the order of their hashes, so two transactions never wait for each other in a circle. A condition's
 * item takes its key exclusively — one of its tags (every event it matches carries it), or each of its types when it
 * names no tag, or the key of everything when it names neither; the batch's events take theirs shared — the key of
 * everything, each type, each tag. So a conditional append and any append whose events its condition could match
 * (which take a key it holds exclusively) never run their checks and writes at once: the later one takes its locks
 * after the earlier commits, then its transaction id (at its first insert, above the earlier's) and, in a fresh
 * statement, sees the earlier's events. Every append takes them, plain ones too: a plain append shares its batch's keys
 * inside its one statement (`sharedLocksCte`), or first in its transaction.
 *
 * @since 0.1.0
 * @internal
 */
import { type Position, Query } from "@chronicle/core"
import { PositionEncoding, type StorageEngine } from "@chronicle/core/engine"
import type { SqlDialect } from "@chronicle/sql"

/** The tables and SQL pieces a filtered read uses. */
export interface Tables {
  readonly table: string
  readonly tags: string
  readonly columns: string
  readonly horizon: string
}

/** The upper bound of a read with no `until`: past every transaction id. */
const beyond = ["18446744073709551615", "9223372036854775807"] as const

/**
 * One page of events matching a filter, after `after` and up to `until`.
 *
 * @since 0.1.0
 * @internal
 */
export const read = (
  tables: Tables,
  filter: StorageEngine.EventFilter,
  after: Position.Position,
  limit: number,
  scope: "global" | "committed"
): SqlDialect.Query => {
  const { columns, table, tags } = tables
  const params: Array<unknown> = []
  const param = (value: unknown) => {
    params.push(value)
    return `$${params.length}`
  }
  const [afterTx, afterSeq] = PositionEncoding.toPair(after)
  const [untilTx, untilSeq] = filter.until === undefined ? beyond : PositionEncoding.toPair(filter.until).map(String)
  const from = `(${param(String(afterTx))}::xid8, ${param(afterSeq)}::bigint)`
  const to = `(${param(String(untilTx))}::xid8, ${param(untilSeq)}::bigint)`
  const bounds = (alias: string) => {
    const columns = `(${alias}transaction_id, ${alias}seq)`
    const visible = scope === "global" ? ` AND ${alias}${tables.horizon}` : ""
    return `${columns} > ${from} AND ${columns} <= ${to}${visible}`
  }
  const lim = param(limit)
  if (filter.query === undefined) {
    return [
      `SELECT ${columns}, stream_id FROM ${table} WHERE ${bounds("")} AND starts_with(stream_id, ${param(filter.category ?? "")}) ` +
        `ORDER BY transaction_id, seq LIMIT ${lim}`,
      params
    ]
  }
  const parts: Array<string> = []
  for (const item of filter.query.items) {
    const itemTags = item.tags ?? []
    const types = item.types === undefined || item.types.length === 0 ? undefined : item.types
    if (itemTags.length === 0) {
      // One part per type, each an ordered range of the (type, transaction_id, seq) index (`type = ANY` would not
      // keep the order, and the planner would walk the primary key instead).
      for (const type of types ?? [undefined]) {
        const typed = type === undefined ? "" : `type = ${param(type)} AND `
        parts.push(
          `(SELECT transaction_id, seq FROM ${table} WHERE ${typed}${bounds("")} ORDER BY transaction_id, seq LIMIT ${lim})`
        )
      }
      continue
    }
    let text = `(SELECT t.transaction_id, t.seq FROM ${tags} t WHERE t.tag = ${param(itemTags[0])} AND ${bounds("t.")}`
    if (itemTags.length > 1) {
      text +=
        ` AND (SELECT COUNT(*) FROM ${tags} u WHERE u.transaction_id = t.transaction_id AND u.seq = t.seq ` +
        `AND u.tag = ANY(${param(itemTags.slice(1))}::text[])) = ${param(itemTags.length - 1)}`
    }
    if (types !== undefined) {
      text += ` AND (SELECT type FROM ${table} e WHERE e.transaction_id = t.transaction_id AND e.seq = t.seq) = ANY(${param(types)}::text[])`
    }
    parts.push(`${text} ORDER BY t.transaction_id, t.seq LIMIT ${lim})`)
  }
  if (parts.length === 0) return [`SELECT ${columns}, stream_id FROM ${table} WHERE false`, []]
  return [
    `SELECT ${columns}, stream_id FROM ${table} WHERE (transaction_id, seq) IN (${parts.join(" UNION ")}) ` +
      `ORDER BY transaction_id, seq LIMIT ${lim}`,
    params
  ]
}

/** The key every append shares and a condition naming neither types nor tags takes alone. */
const everything = "all"

/**
 * The advisory-lock keys of an append under a condition's query (`Query.none` for a plain append), each with whether it
 * is taken exclusively (see the module's header).
 *
 * @since 0.1.0
 * @internal
 */
export const lockKeys = (
  requests: ReadonlyArray<StorageEngine.AppendRequest>,
  query: Query.Query
): Map<string, boolean> => {
  const keys = new Map<string, boolean>()
  for (const item of query.items) {
    if (item.tags !== undefined && item.tags.length > 0) keys.set(`tag:${[...item.tags].sort()[0]}`, true)
    else if (item.types !== undefined && item.types.length > 0)
      for (const type of item.types) keys.set(`type:${type}`, true)
    else keys.set(everything, true)
  }
  const share = (key: string) => {
    if (!keys.has(key)) keys.set(key, false)
  }
  for (const request of requests) {
    if (request.events.length > 0) share(everything)
    for (const event of request.events) {
      share(`type:${event.type}`)
      for (const tag of event.tags) share(`tag:${tag}`)
    }
  }
  return keys
}

/**
 * The keys as a subquery with one row per key, `key` (hashed) and `exclusive`, in hash order, from the parameters
 * `$keys` (text[]) and `$exclusive` (bool[]).
 */
const keyRows = (keys: string, exclusive: string) =>
  "SELECT hashtextextended(k, 0) AS key, bool_or(x) AS exclusive " +
  `FROM unnest(${keys}::text[], ${exclusive}::bool[]) AS u(k, x) GROUP BY 1 ORDER BY 1`

/**
 * The statement that takes an append's advisory locks (see the module's header).
 *
 * @since 0.1.0
 * @internal
 */
export const locks = (
  requests: ReadonlyArray<StorageEngine.AppendRequest>,
  condition: StorageEngine.Condition
): SqlDialect.Query => {
  const keys = lockKeys(requests, condition.query)
  return [
    "SELECT CASE WHEN exclusive THEN pg_advisory_xact_lock(key) ELSE pg_advisory_xact_lock_shared(key) END " +
      `FROM (${keyRows("$1", "$2")}) AS keys`,
    [[...keys.keys()], [...keys.values()]]
  ]
}

/**
 * A CTE, `locks`, that takes a plain append's shared locks inside the append's own statement, from the parameter
 * `$keys` (text[]): one row, `taken`, which the statement's `WHERE` references so that the locks are taken before
 * anything is inserted (and so before the statement's transaction gets its id).
 *
 * @since 0.1.0
 * @internal
 */
export const sharedLocksCte = (keys: string): string =>
  "locks AS (SELECT COUNT(pg_advisory_xact_lock_shared(key)) AS taken " +
  `FROM (SELECT DISTINCT hashtextextended(k, 0) AS key FROM unnest(${keys}::text[]) AS k ORDER BY 1) AS keys)`

/**
 * The keys a plain append shares (for `sharedLocksCte`).
 *
 * @since 0.1.0
 * @internal
 */
export const sharedKeys = (request: StorageEngine.AppendRequest): ReadonlyArray<string> => [
  ...lockKeys([request], Query.none).keys()
]
