/**
 * The representation of positions, shared by the public `Position` module and the engine subpath's encodings.
 *
 * @internal
 */
import { Equal, Hash, Inspectable } from "effect"

/** The type id of positions. */
export const TypeId: unique symbol = Symbol.for("@chronicle/core/Position")

/** The type id of positions. */
export type TypeId = typeof TypeId

/** A position in the global order of one store. */
export interface Position extends Equal.Equal, Inspectable.Inspectable {
  readonly [TypeId]: TypeId
}

/** Two safe integers ≥ 0: `major` (0 for single-counter stores, else e.g. a transaction id) and `minor`. */
export class PositionImpl implements Position {
  declare readonly [TypeId]: TypeId
  constructor(
    readonly major: number,
    readonly minor: number
  ) {}
  [Equal.symbol](that: unknown): boolean {
    return that instanceof PositionImpl && that.major === this.major && that.minor === this.minor
  }
  [Hash.symbol](): number {
    return Hash.cached(this, Hash.combine(Hash.number(this.major))(Hash.number(this.minor)))
  }
  toString(): string {
    return this.major === 0 ? String(this.minor) : `${this.major}:${this.minor}`
  }
  toJSON(): string {
    return this.toString()
  }
  [Inspectable.NodeInspectSymbol](): string {
    return `Position(${this.toString()})`
  }
}
Object.defineProperty(PositionImpl.prototype, TypeId, { value: TypeId })

/** The position before every event. */
export const start: Position = new PositionImpl(0, 0)

/** Whether a value is a position. */
export const isPosition = (value: unknown): value is Position => value instanceof PositionImpl

/** The two numbers of a position. */
export const parts = (position: Position): PositionImpl => position as PositionImpl

/** A position from its two numbers (safe integers ≥ 0). */
export const fromParts = (major: number, minor: number): Position =>
  major === 0 && minor === 0 ? start : new PositionImpl(major, minor)
