// Which project may import which: Nx's enforce-module-boundaries rule with the project tags of
// every project.json. Besides the tag constraints below, the rule refuses a relative or deep
// import into another project (everything goes through the `@finmesh/*` entry point of
// tsconfig.base.json), an import of a project's own alias from inside it, and import cycles.
//
// Production code: dependencies run one way.
//   contracts, persistence   <- runtime (messaging)   <- projection, ops, service-kit
//   contracts                <- adapters
//   apps                     on libraries only (never another app, a tool or test support)
//   tools, bench             on apps and libraries, through their entry points
//   test-support (libs/testing) on libraries
//
// Test code (specs, and the test beds and helpers in `testing/` and `test-support/` folders) may
// also import test support, the platform simulators and other tools, bench helpers and apps,
// still only through entry points.

import { createProjectGraphAsync } from '@nx/devkit';

// The rule reads Nx's cached project graph and silently skips every check when there is none
// (as on a fresh clone). Build it first, so a boundary check can never be skipped: if the graph
// cannot be built, loading this config fails and so does lint.
const graph = await createProjectGraphAsync({ exitOnError: true });
const PROJECTS = Object.keys(graph.nodes);

/** Test code: it may reach further than production code (see above). */
export const TEST_FILES = ['**/*.spec.ts', '**/*.int-spec.ts', '**/src/testing/**/*.ts', '**/src/test-support/**/*.ts'];

const LIBS = ['type:contracts', 'type:persistence', 'type:runtime', 'type:projection', 'type:ops', 'type:service-kit', 'type:adapters', 'type:connectors'];

const LIB_PROJECTS = ['contracts', 'persistence', 'messaging', 'projection', 'ops', 'service-kit', 'adapters', 'connectors', 'testing'];

/** The service apps' entry points: Nx refuses imports of applications unless they are allowed by name. */
const APP_ENTRY_POINTS = ['@finmesh/supplier-sync', '@finmesh/po-sync', '@finmesh/invoice-sync', '@finmesh/payment-sync', '@finmesh/reporting-projector'];

const PRODUCTION_CONSTRAINTS = [
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:persistence', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:runtime', onlyDependOnLibsWithTags: ['type:contracts', 'type:persistence'] },
  { sourceTag: 'type:projection', onlyDependOnLibsWithTags: ['type:contracts', 'type:persistence', 'type:runtime'] },
  { sourceTag: 'type:ops', onlyDependOnLibsWithTags: ['type:contracts', 'type:persistence', 'type:runtime', 'type:connectors'] },
  { sourceTag: 'type:service-kit', onlyDependOnLibsWithTags: ['type:contracts', 'type:persistence', 'type:runtime', 'type:connectors'] },
  { sourceTag: 'type:adapters', onlyDependOnLibsWithTags: ['type:contracts'] },
  // The platforms' live edge (authentication, HTTP, polling): mapping comes from the adapters,
  // watermarks and leader locks from persistence, failure classes from the runtime; it publishes
  // nothing itself (the app's outbox does).
  { sourceTag: 'type:connectors', onlyDependOnLibsWithTags: ['type:contracts', 'type:persistence', 'type:runtime', 'type:adapters'] },
  { sourceTag: 'type:test-support', onlyDependOnLibsWithTags: LIBS },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: LIBS },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: [...LIBS, 'type:app', 'type:tool'] },
  { sourceTag: 'type:bench', onlyDependOnLibsWithTags: [...LIBS, 'type:app', 'type:tool', 'type:test-support'] },
];

const TEST_CONSTRAINTS = [{ sourceTag: '*', onlyDependOnLibsWithTags: [...LIBS, 'type:test-support', 'type:app', 'type:tool', 'type:bench'] }];

const options = (depConstraints, allow) => ({
  allow,
  depConstraints,
  enforceBuildableLibDependency: false,
  // A library's tests use libraries built on it (@finmesh/testing, the runtime in the contracts'
  // codec tests), which Nx's graph counts as a cycle. Between libraries the production
  // constraints above form a one-way order, so a cycle of running code between them cannot pass
  // lint anyway; cycles among apps and tools are still refused.
  // (Each pair names two different projects: Nx skips its same-project checks for an ignored pair.)
  ignoredCircularDependencies: LIB_PROJECTS.flatMap((lib) => PROJECTS.filter((p) => p !== lib).map((p) => [lib, p])),
});

/** ESLint flat-config blocks for `@nx/enforce-module-boundaries`. */
export function moduleBoundaries(nx) {
  return [
    {
      files: ['**/*.ts'],
      plugins: { '@nx': nx },
      rules: { '@nx/enforce-module-boundaries': ['error', options(PRODUCTION_CONSTRAINTS, [])] },
    },
    {
      // Within a project too: production code never imports its own test beds and helpers.
      files: ['**/*.ts'],
      ignores: TEST_FILES,
      rules: {
        'no-restricted-imports': ['error', { patterns: [{ group: ['**/testing/*', '**/test-support/*'], message: 'test support is for test code only (specs, testing/ and test-support/ folders)' }] }],
      },
    },
    {
      files: ['tools/**/*.ts', 'bench/**/*.ts'],
      rules: { '@nx/enforce-module-boundaries': ['error', options(PRODUCTION_CONSTRAINTS, APP_ENTRY_POINTS)] },
    },
    {
      files: TEST_FILES,
      rules: { '@nx/enforce-module-boundaries': ['error', options(TEST_CONSTRAINTS, APP_ENTRY_POINTS)] },
    },
  ];
}
