/**
 * A fast path for encoding events whose schema is a flat struct of primitives (strings, numbers, booleans, literals,
 * their refinements and unions of them, as `Schema.TaggedStruct` of such fields makes): for such a schema encoding
 * changes nothing but drops the properties it does not declare, so an event that passes every check encodes to a copy
 * of its declared properties. Checking directly costs a tenth of Effect's parser; an event that fails a check is
 * handed to the parser, which finds the same failure and words it.
 *
 * @internal
 */
import { Option, SchemaAST } from "effect"

/** Whether a value fits a field's type. */
type Check = (value: unknown) => boolean

/** The check of a field's type, or `undefined` when the type is outside the primitives this path knows. */
const checkOf = (ast: SchemaAST.AST): Check | undefined => {
  switch (ast._tag) {
    case "Literal": {
      const literal = ast.literal
      return (value) => value === literal
    }
    case "StringKeyword":
      return (value) => typeof value === "string"
    case "NumberKeyword":
      return (value) => typeof value === "number"
    case "BooleanKeyword":
      return (value) => typeof value === "boolean"
    case "UndefinedKeyword":
      return (value) => value === undefined
    case "Refinement": {
      const from = checkOf(ast.from)
      if (from === undefined) return undefined
      // The parser's own call: the value, the default options, the refinement.
      return (value) => from(value) && Option.isNone(ast.filter(value, SchemaAST.defaultParseOption, ast))
    }
    case "Union": {
      const members: Array<Check> = []
      for (const member of ast.types) {
        const check = checkOf(member)
        if (check === undefined) return undefined
        members.push(check)
      }
      return (value) => members.some((check) => check(value))
    }
    // Stryker disable next-line ConditionalExpression: without its return the default falls off the end of the
    // function, which returns undefined too.
    default:
      return undefined
  }
}

/**
 * The encoder of a struct schema's events to their data (the declared properties other than `_tag`, in declared
 * order): `undefined` when the schema is not a flat struct of primitives, and the encoder answers `undefined` for an
 * event that fails a check (the parser then encodes it, to word the failure).
 *
 * @internal
 */
export const make = (ast: SchemaAST.AST): ((event: unknown) => Record<string, unknown> | undefined) | undefined => {
  if (!SchemaAST.isTypeLiteral(ast) || ast.indexSignatures.length > 0) return undefined
  const fields: Array<{ readonly name: string; readonly optional: boolean; readonly check: Check }> = []
  for (const property of ast.propertySignatures) {
    const check = checkOf(property.type)
    if (typeof property.name !== "string" || check === undefined) return undefined
    fields.push({ name: property.name, optional: property.isOptional, check })
  }
  return (event) => {
    if (typeof event !== "object" || event === null || Array.isArray(event)) return undefined
    const record = event as Record<string, unknown>
    const data: Record<string, unknown> = {}
    for (const { check, name, optional } of fields) {
      if (!Object.hasOwn(record, name)) {
        if (optional) continue
        return undefined
      }
      const value = record[name]
      if (!check(value)) return undefined
      if (name !== "_tag") data[name] = value
    }
    return data
  }
}
