/**
 * The bench's command line: its flags and help, and where a run writes its JSON. Only a full run replaces the
 * committed `results/latest.json`; a quick or partial run writes `results/partial.json`, unless `--out` names a file.
 *
 * @since 0.1.0
 */
import * as path from "node:path"
import { CommandLine } from "@chronicle/example-cli"
import { httpWorkloads, storeNames, type WorkloadName, workloadNames } from "./Workload.js"

/**
 * The flags of `pnpm bench`.
 *
 * @since 0.1.0
 * @category command line
 */
export const commandLine = CommandLine.make({
  name: "bench",
  usage: "npx -y pnpm@10.34.8 bench [--quick] [--store a,b] [--workload a,b] [--repetitions N] [--out FILE] ...",
  summary:
    "Measures every Chronicle store beside its baselines (the same schema and work with nothing of Chronicle around\n" +
    "it: better-sqlite3 for SQLite, node-postgres for PostgreSQL; a lean SQLite table, the limit; a naive in-memory\n" +
    "store): each store × workload in a fresh process, a warm-up, then the measured repetitions. Prints a table and\n" +
    "writes the results as JSON. bench/README.md explains each workload and how to read the numbers.",
  flags: {
    store: CommandLine.list("a,b", storeNames, "the stores to run (default: all)"),
    workload: CommandLine.list(
      "a,b",
      [...workloadNames, "http"],
      "the workloads to run (default: all; http: the HTTP ones)"
    ),
    quick: CommandLine.toggle("a tenth of the data and 1–2 repetitions: to check the harness, not to quote"),
    repetitions: CommandLine.integer("N", "measured repetitions per workload, after the warm-up"),
    profile: CommandLine.toggle("CPU-profile each worker's measured repetitions into bench/results/profiles/"),
    source: CommandLine.toggle("run the TypeScript sources through tsx instead of compiling first"),
    out: CommandLine.text("FILE", "write the JSON to FILE (a relative FILE starts at the repository root)")
  },
  notes: [
    "A full run (none of --quick, --store, --workload, --repetitions, --profile, --source) writes the committed",
    "bench/results/latest.json; any other run writes bench/results/partial.json, so it never replaces the full",
    "results. --out FILE writes FILE instead, e.g. --out bench/results/latest.json to replace them on purpose.",
    "The PostgreSQL stores (bare-pg, postgres) run on an embedded PostgreSQL the bench starts, or on the server",
    "CHRONICLE_PG_URL names (a user that may create databases: each run gets databases of its own)."
  ]
})

/**
 * The values of the bench's flags.
 *
 * @since 0.1.0
 * @category command line
 */
export type Values = CommandLine.Values<(typeof commandLine)["flags"]>

/**
 * Whether a run measures everything as the README reports it: every store and workload, at full size, compiled, not
 * profiled, with the default repetitions.
 *
 * @since 0.1.0
 * @category output
 */
export const isFull = (values: Values): boolean =>
  !values.quick &&
  !values.profile &&
  !values.source &&
  values.store === undefined &&
  values.workload === undefined &&
  values.repetitions === undefined

/**
 * Where a run writes its JSON: `--out`, else `results/latest.json` for a full run and `results/partial.json` for any
 * other.
 *
 * @since 0.1.0
 * @category output
 */
export const outputFile = (values: Values, benchDir: string): string =>
  values.out !== undefined
    ? path.resolve(CommandLine.baseDirectory(), values.out)
    : path.join(benchDir, "results", isFull(values) ? "latest.json" : "partial.json")

/**
 * The workloads a run selects, in the order they run: all by default; `http` stands for the HTTP workloads.
 *
 * @since 0.1.0
 * @category command line
 */
export const workloadsOf = (values: Values): ReadonlyArray<WorkloadName> => {
  const given = values.workload?.flatMap((name): ReadonlyArray<string> => (name === "http" ? httpWorkloads : [name]))
  return given === undefined || given.length === 0 ? workloadNames : workloadNames.filter((w) => given.includes(w))
}
