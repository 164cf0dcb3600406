import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * The module-boundary rule (tools/lint/module-boundaries.mjs) run by the repository's own ESLint
 * config on deliberate violations, each under the path of a file it could be in. The texts are
 * never written to disk; the one real file a case names (a deep import target) exists.
 */
interface Linted {
  readonly filePath: string;
  readonly messages: ReadonlyArray<{ readonly ruleId: string | null; readonly message: string }>;
}

const ROOT = path.resolve(__dirname, '..', '..');
const BOUNDARY_RULES = new Set(['@nx/enforce-module-boundaries', 'no-restricted-imports']);

const CASES = {
  contractsOnRuntime: { filePath: 'libs/contracts/src/codec/violation.ts', code: "import { OutboxWriter } from '@finmesh/messaging';\nexport const x = OutboxWriter;\n" },
  runtimeOnOps: { filePath: 'libs/messaging/src/outbox/violation.ts', code: "import { replayDeadLetters } from '@finmesh/ops';\nexport const x = replayDeadLetters;\n" },
  deepRelative: { filePath: 'apps/po-sync/src/violation.ts', code: "import { DecimalLogicalType } from '../../../libs/contracts/src/codec/logical-types';\nexport const x = DecimalLogicalType;\n" },
  appOnTestSupport: { filePath: 'apps/po-sync/src/violation.ts', code: "import { testEnvironment } from '@finmesh/testing';\nexport const x = testEnvironment;\n" },
  appOnApp: { filePath: 'apps/po-sync/src/violation.ts', code: "import { invoiceSyncService } from '@finmesh/invoice-sync';\nexport const x = invoiceSyncService;\n" },
  appOnSimulator: { filePath: 'apps/invoice-sync/src/posting/violation.ts', code: "import { startErpSimulator } from '@finmesh/erp-simulator';\nexport const x = startErpSimulator;\n" },
  ownAlias: { filePath: 'libs/ops/src/lag/violation.ts', code: "import { fetchConsumerLag } from '@finmesh/ops';\nexport const x = fetchConsumerLag;\n" },
  appOnOwnTestBed: { filePath: 'apps/invoice-sync/src/posting/violation.ts', code: "import { openInvoiceSyncTestBed } from '../testing/invoice-sync-test-bed';\nexport const x = openInvoiceSyncTestBed;\n" },
  // Allowed: test code reaches test support, simulators and apps; tools and bench reach apps.
  specOnTestSupport: { filePath: 'apps/po-sync/src/allowed.spec.ts', code: "import { testEnvironment } from '@finmesh/testing';\nimport { startErpSimulator } from '@finmesh/erp-simulator';\nexport const x = [testEnvironment, startErpSimulator];\n" },
  benchOnApp: { filePath: 'bench/rebuild/allowed.ts', code: "import { REPORTING_PROJECTION } from '@finmesh/reporting-projector';\nexport const x = REPORTING_PROJECTION;\n" },
  runtimeOnContracts: { filePath: 'libs/messaging/src/outbox/allowed.ts', code: "import { EventCodec } from '@finmesh/contracts';\nexport const x = EventCodec;\n" },
} as const;

function lint(): Record<keyof typeof CASES, string[]> {
  const run = spawnSync(process.execPath, [path.join(__dirname, 'lint-texts.mjs')], {
    cwd: ROOT,
    input: JSON.stringify(Object.values(CASES)),
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (run.status !== 0) throw new Error(`lint-texts failed (${run.status}): ${run.stderr}`);
  const results = JSON.parse(run.stdout) as Linted[];
  const names = Object.keys(CASES) as Array<keyof typeof CASES>;
  return Object.fromEntries(
    names.map((name, i) => [name, (results[i]?.messages ?? []).filter((m) => BOUNDARY_RULES.has(m.ruleId ?? '')).map((m) => m.message)]),
  ) as Record<keyof typeof CASES, string[]>;
}

describe('module boundaries (lint)', () => {
  let found: Record<keyof typeof CASES, string[]>;
  beforeAll(() => {
    found = lint();
  }, 120_000);

  it('refuses a library importing one above it', () => {
    expect(found.contractsOnRuntime).toEqual([expect.stringContaining('"type:contracts" cannot depend on any libs with tags')]);
    expect(found.runtimeOnOps).toEqual([expect.stringContaining('"type:runtime" can only depend on libs tagged with "type:contracts", "type:persistence"')]);
  });

  it('refuses a deep relative import into another project', () => {
    expect(found.deepRelative).toEqual([expect.stringContaining('Projects cannot be imported by a relative or absolute path')]);
  });

  it('refuses production code of an app importing test support, another app or a simulator', () => {
    expect(found.appOnTestSupport).toEqual([expect.stringContaining('"type:app" can only depend on libs tagged with')]);
    expect(found.appOnApp).toEqual([expect.stringContaining('Imports of apps are forbidden')]);
    expect(found.appOnSimulator).toEqual([expect.stringContaining('"type:app" can only depend on libs tagged with')]);
  });

  it('refuses production code importing its own project\'s test support', () => {
    expect(found.appOnOwnTestBed).toEqual([expect.stringContaining('test support is for test code only')]);
  });

  it('refuses a project importing its own entry point', () => {
    expect(found.ownAlias).toEqual([expect.stringContaining('Projects should use relative imports')]);
  });

  it('lets test code use test support and simulators, bench use apps, and the runtime use contracts', () => {
    expect(found.specOnTestSupport).toEqual([]);
    expect(found.benchOnApp).toEqual([]);
    expect(found.runtimeOnContracts).toEqual([]);
  });
});
