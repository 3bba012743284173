// Mutation runs only (`vitest.mutation.config.ts`): switches the mutant under test on before the test file imports
// anything, so that static mutants (code that runs once, when its module loads: schema annotations, service keys,
// module-level constants) are active when that code runs.
//
// Stryker's vitest runner switches a mutant on in a `beforeAll` hook unless it plans the run as "static"; it plans
// some static mutants as runtime ones, whose module code has then run with no mutant on, so they survive tests that
// kill them (stryker-js issues 6144 and 6209). Setting the active mutant here, in a setup file that runs after the
// runner's own and before the test file, is what the runner's static activation does; for a runtime mutant it only sets
// earlier what the hook sets again.
import { inject } from "vitest"

declare module "vitest" {
  /** What Stryker's vitest runner provides (nothing, outside a mutation run). */
  export interface ProvidedContext {
    readonly globalNamespace: string | undefined
    readonly mode: "dry-run" | "mutant" | undefined
    readonly activeMutant: string | undefined
  }
}

const namespace = inject("globalNamespace")
if (namespace !== undefined && inject("mode") === "mutant") {
  const globals = globalThis as unknown as Record<string, { activeMutant?: string | undefined } | undefined>
  const ns = globals[namespace] ?? {}
  globals[namespace] = ns
  ns.activeMutant = inject("activeMutant")
}
