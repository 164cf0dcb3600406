-- finmesh databases and schemas. Idempotent: safe to run on every start.
--
-- Used by both ways of running the infrastructure:
--   * docker-compose.yml mounts this file into /docker-entrypoint-initdb.d/ (runs once, on an
--     empty data volume, through psql);
--   * infra/finmesh-infra.mjs runs it with `psql -d postgres -f infra/postgres/init.sql` on every `up`.
-- It therefore relies on psql meta-commands (\gexec, \connect) and must stay idempotent.

-- CREATE DATABASE cannot run inside a DO block or a transaction, hence the \gexec idiom:
-- the SELECT yields the statement only when the database is missing.
SELECT 'CREATE DATABASE finmesh'
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'finmesh')\gexec

-- Apicurio Registry's own storage. It creates its tables itself on first start; keeping them in
-- PostgreSQL (not the in-memory H2 default) keeps schema ids stable across registry restarts,
-- which matters because Kafka keeps records encoded with those ids.
SELECT 'CREATE DATABASE finmesh_registry'
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'finmesh_registry')\gexec

\connect finmesh

-- "already exists, skipping" notices are expected on every run after the first.
SET client_min_messages TO warning;

-- One schema per service that owns state, plus the reporting read model.
CREATE SCHEMA IF NOT EXISTS supplier_sync;
CREATE SCHEMA IF NOT EXISTS po_sync;
CREATE SCHEMA IF NOT EXISTS invoice_sync;
CREATE SCHEMA IF NOT EXISTS payment_sync;
CREATE SCHEMA IF NOT EXISTS reporting;
