// Two Jest projects: `unit` (pure logic, in-memory fakes allowed) and `integration`
// (real Kafka, schema registry and PostgreSQL started by infra/finmesh-infra.mjs).
const fs = require('node:fs');
const path = require('node:path');

const swcConfig = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
delete swcConfig.$schema;

const moduleNameMapper = {
  '^@finmesh/events$': '<rootDir>/libs/events/src/index.ts',
  '^@finmesh/events/projection-model$': '<rootDir>/libs/events/src/projection-model.ts',
  '^@finmesh/service-kit$': '<rootDir>/libs/service-kit/src/index.ts',
  '^@finmesh/testing$': '<rootDir>/libs/testing/src/index.ts',
  '^@finmesh/adapters$': '<rootDir>/libs/adapters/src/index.ts',
};

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', swcConfig] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.finmesh/'],
  modulePathIgnorePatterns: ['<rootDir>/.finmesh/'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,tools,infra}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,tools,infra}/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/libs/testing/src/integration-timeout.ts'],
    },
  ],
};
