/**
 * The `chronicle` command line on `@effect/cli` (parsing, `--help`, `--version`, shell completions with
 * `--completions bash|zsh|fish`), with what `@effect/cli` does not do as Chronicle's programs must:
 *
 * - a mistake is one line on stderr (`chronicle: unknown option "--bogus"; see chronicle stats --help`) with exit code
 *   2; `@effect/cli` prints its own, longer report, which goes nowhere here;
 * - an option given without its value says so (`--db needs a value: --db FILE`), where `@effect/cli` would call the
 *   option itself an unknown argument;
 * - the help names the full command in its usage line, and leaves out the generic lines `@effect/cli` adds to every
 *   option ("A user-defined piece of text.", "This setting is optional."), so what remains is what we wrote; it is
 *   plain text unless stdout is a terminal and `NO_COLOR` is not set.
 *
 * The `chronicle` bin's own module (not exported).
 */
import { Command, ValidationError } from "@effect/cli"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { Console, Effect } from "effect"
import * as Program from "../Program.js"
import * as Inspect from "./commands/Inspect.js"
import * as Maintain from "./commands/Maintain.js"
import * as Serve from "./commands/Serve.js"
import * as Transfer from "./commands/Transfer.js"
import { Failure } from "./Flags.js"
import * as Output from "./Output.js"
import { description } from "./Run.js"

/** The version `--version` prints: the package's. */
export const version = "0.1.0"

/** ANSI colour codes (ESC, `[`, parameters, `m`). */
const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g")

const root = Command.make("chronicle").pipe(
  Command.withDescription(
    description(
      "Operates a Chronicle event store: look into it (stats, streams, read, tail), move its events (export, import), watch and reset projections' checkpoints, and migrate its tables, and serve it over HTTP with a web console (serve). Every command takes --db FILE (SQLite) or --pg URL (PostgreSQL); read commands take --json (one JSON value per line). chronicle COMMAND --help tells more.",
      "chronicle stats --db app.db",
      "chronicle --completions bash > /etc/bash_completion.d/chronicle"
    )
  ),
  Command.withSubcommands([
    Inspect.stats,
    Inspect.streams,
    Inspect.read,
    Inspect.tail,
    Transfer.exportCommand,
    Transfer.importCommand,
    Maintain.checkpoints,
    Maintain.migrate,
    Serve.serve
  ])
)

const run = Command.run(root, { name: "chronicle", version })

/** The commands, for messages: the names a command line starts with. */
const commandNames = new Set([
  "stats",
  "streams",
  "read",
  "tail",
  "export",
  "import",
  "checkpoints",
  "migrate",
  "serve"
])

/** The options that take a value, and how their help writes it. */
const valueOptions: Readonly<Record<string, string>> = {
  "--db": "FILE",
  "--pg": "URL",
  "--prefix": "P",
  "--limit": "N",
  "--after": "POS",
  "--from": "V",
  "--to": "V",
  "--type": "T",
  "--stream-prefix": "P",
  "--out": "FILE",
  "--completions": "SHELL",
  "--host": "HOST",
  "--port": "N",
  "--token": "T",
  "--cors": "ORIGIN",
  "--max-body": "BYTES",
  "--log-level": "LEVEL"
}

/** The command a command line runs: `chronicle`, `chronicle stats`, `chronicle checkpoints reset`. */
const commandOf = (args: ReadonlyArray<string>): string => {
  if (args[0] === undefined || !commandNames.has(args[0])) return "chronicle"
  return args[0] === "checkpoints" && args[1] === "reset" ? "chronicle checkpoints reset" : `chronicle ${args[0]}`
}

/** An option given without its value, caught before `@effect/cli` calls it an unknown argument. */
const missingValue = (args: ReadonlyArray<string>): string | undefined => {
  for (let i = 0; i < args.length; i++) {
    const placeholder = valueOptions[args[i]!]
    const next = args[i + 1]
    if (placeholder !== undefined && (next === undefined || next.startsWith("--") || /^-[a-zA-Z]/.test(next))) {
      return `${args[i]} needs a value: ${args[i]} ${placeholder}`
    }
  }
  return undefined
}

const plain = (text: string) => text.replace(ansi, "")

/** Lines `@effect/cli` writes under every option, whatever its description says. */
const generic = [
  /^A user-defined piece of text\.$/,
  /^A user-defined piece of text that is confidential\.$/,
  /^A true or false value\.$/,
  /^An integer\.$/,
  /^This setting is optional\.$/,
  /^This setting is optional\. Defaults to: .*$/,
  /^One of the following: .*$/
]

/** The help as printed: generic lines dropped, the usage naming the full command, colour only where wanted. */
export const cleanHelp = (text: string, command: string, colour: boolean): string => {
  const prefix = command.split(" ").slice(0, -1).join(" ")
  const lines = text
    .split("\n")
    .map((line) => line.trimEnd())
    .filter((line) => !generic.some((pattern) => pattern.test(plain(line).trim())))
  const out: Array<string> = []
  for (const line of lines) {
    const shown =
      plain(line).startsWith("$ ") && !plain(line).startsWith("$ chronicle") ? line.replace("$ ", `$ ${prefix} `) : line
    if (plain(shown).trim() === "" && plain(out[out.length - 1] ?? "").trim() === "") continue
    out.push(shown)
  }
  const joined = out.join("\n").trimEnd()
  return colour ? joined : plain(joined)
}

/** What `@effect/cli` reports, as one line. */
const validationLine = (error: ValidationError.ValidationError, args: ReadonlyArray<string>): string => {
  const text = Program.oneLine(HelpDoc.toAnsiText(error.error))
  const unknown = /^Received unknown argument: '(.*)'$/.exec(text)
  if (unknown !== null) {
    const arg = unknown[1]!
    return arg.startsWith("-") ? `unknown option ${JSON.stringify(arg)}` : `unexpected argument ${JSON.stringify(arg)}`
  }
  if (/^Invalid subcommand/.test(text)) {
    const given = args.find((arg) => !arg.startsWith("-"))
    return `unknown command ${JSON.stringify(given ?? "")}: the commands are ${[...commandNames].join(", ")}`
  }
  const missing = /^Missing argument <(.*)>$/.exec(text)
  if (missing !== null) return `missing ${missing[1]}`
  return text
}

/**
 * The arguments as `@effect/cli` reads them: it stops reading options at a lone `-` (stdin, for `import -`), so one
 * that is not an option's value goes last.
 */
const stdinLast = (args: ReadonlyArray<string>): ReadonlyArray<string> => {
  const lone = args.findIndex((arg, i) => arg === "-" && (i === 0 || valueOptions[args[i - 1]!] === undefined))
  return lone === -1 ? args : [...args.slice(0, lone), ...args.slice(lone + 1), "-"]
}

/**
 * Runs `chronicle` with the arguments after the program's name, printing as it goes; returns the exit code.
 */
export const main = (args: ReadonlyArray<string>): Effect.Effect<number> => {
  const command = commandOf(args)
  const colour = Output.colourOn(process.stdout)
  const console: Console.Console = {
    ...globalThis.console,
    [Console.TypeId]: Console.TypeId,
    log: (...parts: ReadonlyArray<unknown>) =>
      Effect.sync(() => {
        const text = parts.join(" ")
        process.stdout.write(`${text.includes("USAGE") ? cleanHelp(text, command, colour) : text.trimEnd()}\n`)
      }),
    error: () => Effect.void
  } as unknown as Console.Console
  const missing = missingValue(args)
  const program =
    missing !== undefined
      ? Effect.fail(new Failure({ line: `${missing}; see ${command} --help`, usage: true }))
      : run(["node", "chronicle", ...stdinLast(args)]).pipe(
          Effect.catchIf(ValidationError.isValidationError, (error) =>
            Effect.fail(new Failure({ line: `${validationLine(error, args)}; see ${command} --help`, usage: true }))
          ),
          Effect.withConsole(console),
          Effect.provide(NodeContext.layer)
        )
  return Program.exitCode("chronicle", program, (error) => error instanceof Failure && error.usage)
}
