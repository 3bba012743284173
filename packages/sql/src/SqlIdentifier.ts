/**
 * Table names from configuration: they are spliced into SQL text, so they are checked before anything is built, and a
 * bad one is a typed error naming the option.
 *
 * @since 0.1.0
 */
import { Either, Schema } from "effect"
import type { IdentifierRules } from "./SqlDialect.js"

/**
 * A configured table name is not a plain SQL identifier: only `[A-Za-z_][A-Za-z0-9_]*` is accepted, up to the
 * database's length limit, not starting with a prefix the database reserves.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidIdentifier extends Schema.TaggedError<InvalidIdentifier>("@chronicle/sql/InvalidIdentifier")(
  "InvalidIdentifier",
  { option: Schema.String, name: Schema.String, reason: Schema.String }
) {
  override get message(): string {
    return `Invalid SQL identifier ${JSON.stringify(this.name)} for option ${this.option}: ${this.reason}`
  }
}

const pattern = /^[A-Za-z_][A-Za-z0-9_]*$/

/**
 * Validates one identifier under a dialect's rules.
 *
 * @since 0.1.0
 * @category constructors
 */
export const validate = (
  rules: IdentifierRules,
  option: string,
  name: string
): Either.Either<string, InvalidIdentifier> => {
  const invalid = (reason: string) => Either.left(new InvalidIdentifier({ option, name: String(name), reason }))
  if (typeof name !== "string" || !pattern.test(name)) {
    return invalid("only letters, digits and underscores are allowed, not starting with a digit")
  }
  if (name.length > rules.maxLength) return invalid(`at most ${rules.maxLength} characters are allowed`)
  const reserved = rules.reservedPrefixes.find((prefix) => name.toLowerCase().startsWith(prefix))
  if (reserved !== undefined) return invalid(`names starting with ${reserved} are reserved by the database`)
  return Either.right(name)
}

/**
 * Validates a table and the table recording its migrations: both plain identifiers, and different.
 *
 * @since 0.1.0
 * @category constructors
 */
export const validatePair = (
  rules: IdentifierRules,
  table: { readonly option: string; readonly name: string },
  migrations: { readonly option: string; readonly name: string }
): Either.Either<readonly [table: string, migrations: string], InvalidIdentifier> =>
  Either.gen(function* () {
    const name = yield* validate(rules, table.option, table.name)
    const migrationsName = yield* validate(rules, migrations.option, migrations.name)
    if (name.toLowerCase() === migrationsName.toLowerCase()) {
      return yield* Either.left(
        new InvalidIdentifier({
          option: migrations.option,
          name: migrationsName,
          reason: `the migrations table must differ from ${table.option}`
        })
      )
    }
    return [name, migrationsName] as const
  })
