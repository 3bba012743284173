import { Decider } from "@chronicle/core"
import { describe, expectTypeOf, it } from "@effect/vitest"
import { Either, Schema } from "effect"

// A shopping cart whose `decide` returns two kinds of error from different branches, with no return annotation:
// the way users write deciders.
class CartClosed extends Schema.TaggedError<CartClosed>()("CartClosed", {}) {}
class NotInCart extends Schema.TaggedError<NotInCart>()("NotInCart", { item: Schema.String }) {}
type CartEvent =
  | { readonly _tag: "ItemAdded"; readonly item: string }
  | { readonly _tag: "ItemRemoved"; readonly item: string }
type CartCommand = { readonly _tag: "Add"; readonly item: string } | { readonly _tag: "Remove"; readonly item: string }
interface Cart {
  readonly open: boolean
  readonly items: ReadonlyArray<string>
}

const cart = Decider.make({
  initialState: { open: true, items: [] } as Cart,
  decide: (command: CartCommand, state: Cart) => {
    if (!state.open) return Either.left(new CartClosed())
    if (command._tag === "Remove" && !state.items.includes(command.item)) {
      return Either.left(new NotInCart({ item: command.item }))
    }
    return Either.right([
      command._tag === "Add"
        ? { _tag: "ItemAdded" as const, item: command.item }
        : { _tag: "ItemRemoved" as const, item: command.item }
    ])
  },
  evolve: (state: Cart, event: CartEvent): Cart =>
    event._tag === "ItemAdded"
      ? { ...state, items: [...state.items, event.item] }
      : { ...state, items: state.items.filter((item) => item !== event.item) }
})

type ErrorOf<D> = D extends Decider.Decider<infer _C, infer _E, infer _S, infer Err> ? Err : never

describe("Decider.make types", () => {
  it("infers the union of every error decide returns", () => {
    expectTypeOf(cart).toEqualTypeOf<Decider.Decider<CartCommand, CartEvent, Cart, CartClosed | NotInCart>>()
  })

  it("infers a decider that never fails as failing with never", () => {
    const counter = Decider.make({
      initialState: 0,
      decide: (command: { readonly by: number }) => Either.right([{ by: command.by }]),
      evolve: (total: number, event: { readonly by: number }) => total + event.by
    })
    expectTypeOf(counter).toMatchTypeOf<Decider.Decider<{ readonly by: number }, { readonly by: number }, number>>()
    expectTypeOf<ErrorOf<typeof counter>>().toEqualTypeOf<never>()
  })

  it("keeps explicit type parameters", () => {
    const explicit = Decider.make<number, number, number, CartClosed>({
      initialState: 0,
      decide: (command, state) => (state > 10 ? Either.left(new CartClosed()) : Either.right([command])),
      evolve: (state, event) => state + event
    })
    expectTypeOf(explicit).toEqualTypeOf<Decider.Decider<number, number, number, CartClosed>>()
  })

  it("rejects a decide whose events are not the events evolve takes", () => {
    Decider.make({
      initialState: 0,
      // @ts-expect-error: decide returns strings, evolve takes numbers
      decide: (_command: number) => Either.right(["one"]),
      evolve: (state: number, event: number) => state + event
    })
  })
})
