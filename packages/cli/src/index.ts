/**
 * `@chronicle/cli`: the `chronicle` command line (its bin), and what every Chronicle program's command line shares —
 * one-line errors and exit codes (`Program`), counts in words (`Count`), and the NDJSON export format
 * (`ExportFormat`).
 *
 * @since 0.1.0
 */

/**
 * Running a program as the process: one-line failures, exit codes, Ctrl-C.
 *
 * @since 0.1.0
 */
export * as Program from "./Program.js"

/**
 * Counts in words: "10,000 events", "1 event".
 *
 * @since 0.1.0
 */
export * as Count from "./Count.js"

/**
 * The NDJSON export format of `chronicle export` and `chronicle import`: one event per line.
 *
 * @since 0.1.0
 */
export * as ExportFormat from "./ExportFormat.js"
