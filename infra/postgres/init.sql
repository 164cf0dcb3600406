-- finmesh databases, schemas and roles. Idempotent: safe to run on every start.
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

-- ---------------------------------------------------------------------------------------------
-- Least privilege. No service connects as a superuser: each has its own login role, which owns
-- its schema and nothing else (it cannot create schemas, nor read or write another service's).
--   finmesh_<service>            one per service (supplier_sync, po_sync, invoice_sync,
--                                payment_sync, reporting_projector); members of finmesh_service
--   finmesh_service              what every service shares: appending to the audit log
--   finmesh_reporting_reader     read-only on the reporting read models (Power BI, later)
--   finmesh_auditor              SELECT on the audit log only
--   finmesh_registry             Apicurio Registry's own database
-- Passwords: FINMESH_DB_ROLE_PASSWORD, when set in psql's environment (docker-compose sets it),
-- becomes every role's password; without it the roles have none (the local server trusts
-- loopback). Production sets each role's own password (ALTER ROLE ... PASSWORD) or uses
-- certificate authentication.
-- ---------------------------------------------------------------------------------------------
DO $$
DECLARE
  r text;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'finmesh_service') THEN
    CREATE ROLE finmesh_service NOLOGIN;
  END IF;
  FOREACH r IN ARRAY ARRAY['finmesh_supplier_sync', 'finmesh_po_sync', 'finmesh_invoice_sync', 'finmesh_payment_sync', 'finmesh_reporting_projector'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
      EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE IN ROLE finmesh_service', r);
    END IF;
  END LOOP;
  FOREACH r IN ARRAY ARRAY['finmesh_reporting_reader', 'finmesh_auditor', 'finmesh_registry'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
      EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE', r);
    END IF;
  END LOOP;
END $$;

\getenv role_password FINMESH_DB_ROLE_PASSWORD
\if :{?role_password}
SELECT format('ALTER ROLE %I PASSWORD %L', r, :'role_password')
  FROM unnest(ARRAY['finmesh_supplier_sync', 'finmesh_po_sync', 'finmesh_invoice_sync', 'finmesh_payment_sync', 'finmesh_reporting_projector',
                    'finmesh_reporting_reader', 'finmesh_auditor', 'finmesh_registry']) AS r\gexec
\endif

-- PostgreSQL 15 no longer lets every role create in public; older servers did: close it everywhere.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE ALL ON DATABASE finmesh FROM PUBLIC;
GRANT CONNECT ON DATABASE finmesh TO finmesh_service, finmesh_reporting_reader, finmesh_auditor;
-- Session-local scratch tables (migrations and rebuilds use them); they touch no other schema.
GRANT TEMPORARY ON DATABASE finmesh TO finmesh_service;
-- The projector rebuilds its read models in a staging schema and swaps it in (libs/projection):
-- the one service that creates schemas.
GRANT CREATE ON DATABASE finmesh TO finmesh_reporting_projector;

CREATE SCHEMA IF NOT EXISTS finmesh_audit;

-- Each service owns its schema and everything in it (objects created earlier by another role,
-- e.g. before these roles existed, are handed over).
DO $$
DECLARE
  s record;
  o record;
BEGIN
  FOR s IN SELECT * FROM (VALUES ('supplier_sync', 'finmesh_supplier_sync'), ('po_sync', 'finmesh_po_sync'), ('invoice_sync', 'finmesh_invoice_sync'),
                                 ('payment_sync', 'finmesh_payment_sync'), ('reporting', 'finmesh_reporting_projector')) AS v(schema_name, owner) LOOP
    EXECUTE format('ALTER SCHEMA %I OWNER TO %I', s.schema_name, s.owner);
    FOR o IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = s.schema_name AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                AND pg_get_userbyid(c.relowner) <> s.owner
                -- sequences owned by a table column move with their table
                AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))) LOOP
      EXECUTE format('ALTER %s %I.%I OWNER TO %I',
                     CASE o.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
                     s.schema_name, o.relname, s.owner);
    END LOOP;
    -- Its functions (trigger functions of the outbox, the inbox...) and types too.
    FOR o IN SELECT p.oid::regprocedure::text AS signature FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
              WHERE n.nspname = s.schema_name AND pg_get_userbyid(p.proowner) <> s.owner LOOP
      EXECUTE format('ALTER ROUTINE %s OWNER TO %I', o.signature, s.owner);
    END LOOP;
    FOR o IN SELECT t.oid::regtype::text AS type_name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
              WHERE n.nspname = s.schema_name AND t.typtype IN ('e', 'd') AND pg_get_userbyid(t.typowner) <> s.owner LOOP
      EXECUTE format('ALTER TYPE %s OWNER TO %I', o.type_name, s.owner);
    END LOOP;
  END LOOP;
END $$;

-- The shared audit log (libs/messaging/src/audit): created by the first service that starts, in
-- a schema every service may create in; each may then read and append to it (the hash chain and
-- the guard triggers refuse updates, deletes and truncation), and the auditor may read it.
GRANT USAGE, CREATE ON SCHEMA finmesh_audit TO finmesh_service;
GRANT USAGE ON SCHEMA finmesh_audit TO finmesh_auditor;
ALTER DEFAULT PRIVILEGES FOR ROLE finmesh_supplier_sync, finmesh_po_sync, finmesh_invoice_sync, finmesh_payment_sync, finmesh_reporting_projector
  IN SCHEMA finmesh_audit GRANT SELECT, INSERT ON TABLES TO finmesh_service;
ALTER DEFAULT PRIVILEGES FOR ROLE finmesh_supplier_sync, finmesh_po_sync, finmesh_invoice_sync, finmesh_payment_sync, finmesh_reporting_projector
  IN SCHEMA finmesh_audit GRANT USAGE ON SEQUENCES TO finmesh_service;
ALTER DEFAULT PRIVILEGES FOR ROLE finmesh_supplier_sync, finmesh_po_sync, finmesh_invoice_sync, finmesh_payment_sync, finmesh_reporting_projector
  IN SCHEMA finmesh_audit GRANT SELECT ON TABLES TO finmesh_auditor;
DO $$
BEGIN
  IF to_regclass('finmesh_audit.audit_log') IS NOT NULL THEN
    GRANT SELECT, INSERT ON finmesh_audit.audit_log TO finmesh_service;
    GRANT SELECT ON finmesh_audit.audit_log TO finmesh_auditor;
    GRANT USAGE ON ALL SEQUENCES IN SCHEMA finmesh_audit TO finmesh_service;
  END IF;
END $$;

-- The reporting reader: every read model the projector has or will create, in any schema it
-- swaps in (a rebuild's staging schema becomes the live one).
GRANT USAGE ON SCHEMA reporting TO finmesh_reporting_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO finmesh_reporting_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE finmesh_reporting_projector GRANT SELECT ON TABLES TO finmesh_reporting_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE finmesh_reporting_projector GRANT USAGE ON SCHEMAS TO finmesh_reporting_reader;

-- Apicurio's database belongs to its own role (its tables, created by whoever ran it before, too).
\connect finmesh_registry
SET client_min_messages TO warning;
ALTER DATABASE finmesh_registry OWNER TO finmesh_registry;
ALTER SCHEMA public OWNER TO finmesh_registry;
DO $$
DECLARE
  o record;
BEGIN
  FOR o IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'S') AND pg_get_userbyid(c.relowner) <> 'finmesh_registry'
              AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))) LOOP
    EXECUTE format('ALTER %s public.%I OWNER TO finmesh_registry', CASE o.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' ELSE 'TABLE' END, o.relname);
  END LOOP;
END $$;
