// Integration tests talk to a real broker, registry and database: allow for JVM warm-up and rebalances.
jest.setTimeout(120_000);
