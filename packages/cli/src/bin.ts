/**
 * The `chronicle` bin: runs the command line with the process's arguments, its exit code the process's.
 *
 * @since 0.1.0
 */
import * as Program from "./Program.js"
import { main } from "./commandLine/Cli.js"

Program.runMain(main(process.argv.slice(2)))
