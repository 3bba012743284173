/**
 * The command line of a program: its flags, its `--help` text, and a parser that answers every mistake with one
 * `UsageError` saying what is wrong. Flags are `--name` (a switch), `--name VALUE` or `--name=VALUE` (text, a whole
 * number, or a comma-separated list that may repeat); `-h`/`--help` asks for the help; a lone `--` is passed over, so
 * `pnpm demo -- --fresh` works like `pnpm demo --fresh`. The help is plain text: no colour codes, on a terminal or not.
 *
 * @since 0.1.0
 */
import { Either, Schema } from "effect"

/**
 * A switch: `--fresh`, true when given.
 *
 * @since 0.1.0
 * @category models
 */
export interface Switch {
  readonly _tag: "Switch"
  readonly description: string
}

/**
 * A flag with a text value: `--db PATH`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Text {
  readonly _tag: "Text"
  readonly placeholder: string
  readonly description: string
}

/**
 * A flag with a whole number of at least `min`: `--transactions N`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Integer {
  readonly _tag: "Integer"
  readonly placeholder: string
  readonly description: string
  readonly min: number
}

/**
 * A flag with a comma-separated list of known choices: `--store a,b`; given twice, the lists add up.
 *
 * @since 0.1.0
 * @category models
 */
export interface List {
  readonly _tag: "List"
  readonly placeholder: string
  readonly description: string
  readonly choices: ReadonlyArray<string>
}

/**
 * Any flag.
 *
 * @since 0.1.0
 * @category models
 */
export type Flag = Switch | Text | Integer | List

/**
 * A switch.
 *
 * @since 0.1.0
 * @category constructors
 */
export const toggle = (description: string): Switch => ({ _tag: "Switch", description })

/**
 * A flag with a text value.
 *
 * @since 0.1.0
 * @category constructors
 */
export const text = (placeholder: string, description: string): Text => ({ _tag: "Text", placeholder, description })

/**
 * A flag with a whole number of at least `min` (default 1).
 *
 * @since 0.1.0
 * @category constructors
 */
export const integer = (placeholder: string, description: string, min = 1): Integer => ({
  _tag: "Integer",
  placeholder,
  description,
  min
})

/**
 * A flag with a comma-separated list of known choices.
 *
 * @since 0.1.0
 * @category constructors
 */
export const list = (placeholder: string, choices: ReadonlyArray<string>, description: string): List => ({
  _tag: "List",
  placeholder,
  description,
  choices
})

/**
 * A program's command line: `name` prefixes its error lines, `usage` shows how the README runs it, `summary` says
 * what it does. `exclusive` names pairs of flags that cannot be given together, and why.
 *
 * @since 0.1.0
 * @category models
 */
export interface Spec<Flags extends Record<string, Flag>> {
  readonly name: string
  readonly usage: string
  readonly summary: string
  readonly flags: Flags
  readonly exclusive?: ReadonlyArray<readonly [keyof Flags & string, keyof Flags & string, string]>
  readonly notes?: ReadonlyArray<string>
}

/**
 * What a flag parses to: a boolean for a switch, the value (or `undefined` when not given) for the others.
 *
 * @since 0.1.0
 * @category models
 */
export type Values<Flags extends Record<string, Flag>> = {
  readonly [K in keyof Flags]: Flags[K] extends Switch
    ? boolean
    : Flags[K] extends Integer
      ? number | undefined
      : Flags[K] extends List
        ? ReadonlyArray<string> | undefined
        : string | undefined
}

/**
 * The outcome of parsing: show the help, or run with these values.
 *
 * @since 0.1.0
 * @category models
 */
export type Parsed<Flags extends Record<string, Flag>> =
  | { readonly _tag: "Help" }
  | { readonly _tag: "Run"; readonly values: Values<Flags> }

/**
 * A command line that cannot be run: an unknown flag, a missing or bad value, flags that exclude each other.
 *
 * @since 0.1.0
 * @category errors
 */
export class UsageError extends Schema.TaggedError<UsageError>("@chronicle/example-cli/UsageError")("UsageError", {
  problem: Schema.String
}) {
  override get message(): string {
    return `${this.problem}; see --help`
  }
}

/**
 * Builds a command line, keeping the flags' exact types for `parse`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <const Flags extends Record<string, Flag>>(spec: Spec<Flags>): Spec<Flags> => spec

/**
 * Where relative paths on a command line start: the directory pnpm runs the command from (`INIT_CWD`, the repository
 * root for the root scripts), else the working directory. pnpm runs a package's script in that package's directory,
 * which is not where the user typed the path.
 *
 * @since 0.1.0
 * @category paths
 */
export const baseDirectory = (): string => process.env.INIT_CWD ?? process.cwd()

const helpFlags = new Set(["-h", "--help"])

const shown = (arg: string) => JSON.stringify(arg.length > 60 ? `${arg.slice(0, 60)}…` : arg)

const parseValue = (name: string, flag: Text | Integer | List, raw: string): Either.Either<unknown, UsageError> => {
  const fail = (problem: string) => Either.left(new UsageError({ problem }))
  if (raw.length === 0) return fail(`--${name} needs a value: --${name} ${flag.placeholder}`)
  switch (flag._tag) {
    case "Text":
      return Either.right(raw)
    case "Integer":
      return /^\d+$/.test(raw) && Number(raw) >= flag.min && Number.isSafeInteger(Number(raw))
        ? Either.right(Number(raw))
        : fail(`--${name} needs a whole number of at least ${flag.min}, not ${shown(raw)}`)
    case "List": {
      const items = raw.split(",").filter((item) => item.length > 0)
      const unknown = items.find((item) => !flag.choices.includes(item))
      return unknown === undefined
        ? Either.right(items)
        : fail(`unknown --${name} ${shown(unknown)}: choose from ${flag.choices.join(", ")}`)
    }
  }
}

/**
 * Parses the arguments after the program's name. `--help` anywhere asks for the help, whatever else is there.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parse = <Flags extends Record<string, Flag>>(
  spec: Spec<Flags>,
  args: ReadonlyArray<string>
): Either.Either<Parsed<Flags>, UsageError> => {
  if (args.some((arg) => helpFlags.has(arg))) return Either.right({ _tag: "Help" })
  const fail = (problem: string) => Either.left(new UsageError({ problem }))
  const values: Record<string, unknown> = {}
  for (const [name, flag] of Object.entries(spec.flags)) values[name] = flag._tag === "Switch" ? false : undefined
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === "--") continue
    if (!arg.startsWith("-")) return fail(`unexpected argument ${shown(arg)}: this program takes only flags`)
    const equals = arg.indexOf("=")
    const name = arg.slice(2, equals === -1 ? undefined : equals)
    const flag = arg.startsWith("--") && Object.hasOwn(spec.flags, name) ? spec.flags[name] : undefined
    if (flag === undefined) return fail(`unknown option ${shown(equals === -1 ? arg : arg.slice(0, equals))}`)
    if (flag._tag === "Switch") {
      if (equals !== -1) return fail(`--${name} takes no value`)
      values[name] = true
      continue
    }
    if (flag._tag !== "List" && values[name] !== undefined) return fail(`--${name} is given twice`)
    const next = args[i + 1]
    if (equals === -1 && (next === undefined || next.startsWith("--"))) {
      return fail(`--${name} needs a value: --${name} ${flag.placeholder}`)
    }
    const raw = equals === -1 ? args[++i]! : arg.slice(equals + 1)
    const value = parseValue(name, flag, raw)
    if (Either.isLeft(value)) return Either.left(value.left)
    values[name] =
      flag._tag === "List"
        ? [...((values[name] as Array<string> | undefined) ?? []), ...(value.right as Array<string>)]
        : value.right
  }
  for (const [a, b, why] of spec.exclusive ?? []) {
    const given = (name: string) => values[name] !== undefined && values[name] !== false
    if (given(a) && given(b)) return fail(`--${a} and --${b} cannot be combined: ${why}`)
  }
  return Either.right({ _tag: "Run", values: values as Values<Flags> })
}

/**
 * The `--help` text: what the program does, how to run it, and every flag.
 *
 * @since 0.1.0
 * @category formatting
 */
export const help = <Flags extends Record<string, Flag>>(spec: Spec<Flags>): string => {
  const rows: Array<readonly [string, string, ReadonlyArray<string>]> = Object.entries(spec.flags).map(
    ([name, flag]) => [
      flag._tag === "Switch" ? `--${name}` : `--${name} ${flag.placeholder}`,
      flag._tag === "List" ? `${flag.description}; one or more of:` : flag.description,
      flag._tag === "List" ? flag.choices : []
    ]
  )
  rows.push(["-h, --help", "show this help", []])
  const width = Math.max(...rows.map(([left]) => left.length)) + 2
  const indent = " ".repeat(width + 2)
  /** Choices as comma-separated lines of at most 100 characters. */
  const wrapped = (choices: ReadonlyArray<string>) =>
    choices.reduce<Array<string>>((lines, choice, i) => {
      const last = lines[lines.length - 1]
      const item = i < choices.length - 1 ? `${choice},` : choice
      if (last !== undefined && indent.length + last.length + 1 + item.length <= 100) {
        lines[lines.length - 1] = `${last} ${item}`
      } else lines.push(item)
      return lines
    }, [])
  return [
    spec.summary,
    "",
    `Usage: ${spec.usage}`,
    "",
    "Options:",
    ...rows.flatMap(([left, right, choices]) => [
      `  ${left.padEnd(width)}${right}`,
      ...wrapped(choices).map((line) => `${indent}${line}`)
    ]),
    ...(spec.notes === undefined ? [] : ["", ...spec.notes])
  ].join("\n")
}
