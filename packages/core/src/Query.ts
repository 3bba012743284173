/**
 * Queries over events by type and tag: what reads by query, filtered subscriptions and append conditions select. A
 * query is a list of items joined by OR; an item matches an event whose type is any of its `types` (every type when it
 * names none) and which carries all of its `tags` (no condition when it names none). `Query.all` matches every event;
 * a query of no items matches none.
 *
 * @since 0.1.0
 */

/**
 * One item of a query: any of `types`, all of `tags`; an item naming neither matches every event.
 *
 * @since 0.1.0
 * @category models
 */
export interface QueryItem {
  readonly types?: ReadonlyArray<string> | undefined
  readonly tags?: ReadonlyArray<string> | undefined
}

/**
 * A query: items joined by OR.
 *
 * @since 0.1.0
 * @category models
 */
export interface Query {
  readonly _tag: "Query"
  readonly items: ReadonlyArray<QueryItem>
}

/**
 * A query of the given items, joined by OR.
 *
 * @since 0.1.0
 * @category constructors
 */
export const items = (items: ReadonlyArray<QueryItem>): Query => ({ _tag: "Query", items })

/**
 * A query of one item.
 *
 * @since 0.1.0
 * @category constructors
 */
export const item = (item: QueryItem): Query => items([item])

/**
 * The query that matches every event.
 *
 * @since 0.1.0
 * @category constructors
 */
export const all: Query = items([{}])

/**
 * The query that matches no event (as a condition, it never fails).
 *
 * @since 0.1.0
 * @category constructors
 */
export const none: Query = items([])

/**
 * The items of both queries: events matching either.
 *
 * @since 0.1.0
 * @category combinators
 */
export const or = (self: Query, that: Query): Query => items([...self.items, ...that.items])

/**
 * Whether an item matches an event of this type carrying these tags.
 *
 * @since 0.1.0
 * @category predicates
 */
export const itemMatches = (
  item: QueryItem,
  event: { readonly type: string; readonly tags: ReadonlyArray<string> }
): boolean =>
  (item.types === undefined || item.types.length === 0 || item.types.includes(event.type)) &&
  (item.tags === undefined || item.tags.every((tag) => event.tags.includes(tag)))

/**
 * Whether a query matches an event of this type carrying these tags.
 *
 * @since 0.1.0
 * @category predicates
 */
export const matches = (
  query: Query,
  event: { readonly type: string; readonly tags: ReadonlyArray<string> }
): boolean => query.items.some((item) => itemMatches(item, event))
