#!/usr/bin/env node
// @ts-check
/**
 * finmesh local infrastructure without Docker: Kafka (KRaft, single node), Apicurio Registry
 * (PostgreSQL storage) and the machine's PostgreSQL.
 *
 *   node infra/finmesh-infra.mjs up              start what is missing, wait until ready
 *   node infra/finmesh-infra.mjs down            stop what this script started (PostgreSQL stays)
 *   node infra/finmesh-infra.mjs status [--json] one line per component; exit 0 only if all are up
 *
 * Kafka and Apicurio are plain JVM programs, resolved from Maven Central with `mvn` on first use
 * and kept under $FINMESH_INFRA_HOME (default <repo>/.finmesh, git-ignored) together with data,
 * logs and pid files. Only Node 20 built-ins are used so this runs before `npm ci`.
 *
 * Settings come from FINMESH_* environment variables (see infra/README.md); every bad setting is
 * reported at once. Exit code 0 = success, 1 = failure (the message says what to do).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';

const INFRA_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.dirname(INFRA_DIR);
const KAFKA_POM = path.join(INFRA_DIR, 'kafka', 'pom.xml');
const KAFKA_LOG4J = path.join(INFRA_DIR, 'kafka', 'log4j2.properties');
const PG_INIT_SQL = path.join(INFRA_DIR, 'postgres', 'init.sql');
/** The Kafka principals (libs/contracts/src/kafka-access/principal-list.json; the ACLs use it too). */
const KAFKA_PRINCIPALS = /** @type {{ broker: string, admin: string, ops: string, services: string[], platforms: string[], subscriber: string }} */ (
  JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'libs', 'contracts', 'src', 'kafka-access', 'principal-list.json'), 'utf8'))
);

/** Newest Apicurio we run; its jars are Java 21 class files. */
const APICURIO_VERSION_JAVA21 = '3.3.3';
/** Newest Apicurio 3.x that still runs on Java 17, used when no Java 21+ is installed. */
const APICURIO_VERSION_JAVA17 = '3.0.9';
const REGISTRY_DB = 'finmesh_registry';
const APP_DB = 'finmesh';
const APP_SCHEMAS = ['supplier_sync', 'po_sync', 'invoice_sync', 'payment_sync', 'reporting'];
const KAFKA_NODE_ID = 1;
/** Marks storage formatted with SCRAM users for the principals (format.json `security`). */
const KAFKA_SECURITY = 'sasl-scram-sha-512+tls';
/** Logs larger than this are rotated (one old copy kept) when a service starts. */
const LOG_ROTATE_BYTES = 20 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------------

/**
 * @typedef {object} Config
 * @property {string} home            FINMESH_INFRA_HOME, absolute
 * @property {string} kafkaHost
 * @property {number} kafkaPort
 * @property {number} kafkaControllerPort
 * @property {string} kafkaVersion
 * @property {string} kafkaHeap
 * @property {string} registryHost
 * @property {number} registryPort
 * @property {number} registryMgmtPort
 * @property {string | undefined} apicurioVersion  undefined = choose from the Java found
 * @property {string | undefined} registryJavaHome
 * @property {string} registryHeap
 * @property {string} pgHost
 * @property {number} pgPort
 * @property {string} pgUser
 * @property {string | undefined} pgPassword
 * @property {number} timeoutS
 */

/** Thrown for failures the user can act on; main() prints the message without a stack trace. */
class InfraError extends Error {}

/**
 * Reads and validates all settings, collecting every problem so one run reports them all.
 * @param {Record<string, string | undefined>} env
 * @returns {{ config: Config, problems: string[] }}
 */
function loadConfig(env) {
  /** @type {string[]} */
  const problems = [];
  /** @param {string} name @param {string} fallback */
  const str = (name, fallback) => {
    const v = env[name];
    if (v === undefined || v === '') return fallback;
    if (v.trim() !== v || v.length === 0) problems.push(`${name}="${v}": must not have surrounding spaces`);
    return v.trim();
  };
  /** @param {string} name @param {number} fallback */
  const port = (name, fallback) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < 1 || n > 65535) {
      problems.push(`${name}="${raw}": must be a port number between 1 and 65535`);
      return fallback;
    }
    return n;
  };
  /** @param {string} name @param {string} fallback @param {RegExp} re @param {string} what */
  const pattern = (name, fallback, re, what) => {
    const v = str(name, fallback);
    if (!re.test(v)) problems.push(`${name}="${v}": must be ${what}`);
    return v;
  };
  const version = /^\d+\.\d+\.\d+([.-][0-9A-Za-z.-]+)?$/;
  const heap = /^[1-9]\d*[mMgG]$/;
  const host = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$|^\[?[0-9a-fA-F:]+\]?$/;

  const timeoutRaw = str('FINMESH_INFRA_TIMEOUT_S', '120');
  let timeoutS = Number(timeoutRaw);
  if (!/^\d+$/.test(timeoutRaw) || timeoutS < 1 || timeoutS > 3600) {
    problems.push(`FINMESH_INFRA_TIMEOUT_S="${timeoutRaw}": must be whole seconds between 1 and 3600`);
    timeoutS = 120;
  }

  const registryJavaHome = env.FINMESH_REGISTRY_JAVA_HOME || undefined;
  if (registryJavaHome !== undefined && !fs.existsSync(path.join(registryJavaHome, 'bin', 'java'))) {
    problems.push(`FINMESH_REGISTRY_JAVA_HOME="${registryJavaHome}": no bin/java there; point it at a JDK/JRE 21+ home`);
  }

  /** @type {Config} */
  const config = {
    // Relative homes are taken from the repository root so the result does not depend on the cwd.
    home: path.resolve(REPO_ROOT, str('FINMESH_INFRA_HOME', '.finmesh')),
    kafkaHost: pattern('FINMESH_KAFKA_HOST', '127.0.0.1', host, 'a host name or IP address'),
    kafkaPort: port('FINMESH_KAFKA_PORT', 9092),
    kafkaControllerPort: port('FINMESH_KAFKA_CONTROLLER_PORT', 9093),
    kafkaVersion: pattern('FINMESH_KAFKA_VERSION', '4.4.0', version, 'a Kafka version such as 4.4.0'),
    kafkaHeap: pattern('FINMESH_KAFKA_HEAP', '512m', heap, 'a JVM heap size such as 512m or 1g'),
    registryHost: pattern('FINMESH_REGISTRY_HOST', '127.0.0.1', host, 'a host name or IP address'),
    registryPort: port('FINMESH_REGISTRY_PORT', 8081),
    registryMgmtPort: port('FINMESH_REGISTRY_MGMT_PORT', 9000),
    apicurioVersion: env.FINMESH_APICURIO_VERSION
      ? pattern('FINMESH_APICURIO_VERSION', '', version, 'an Apicurio Registry version such as 3.3.3')
      : undefined,
    registryJavaHome,
    registryHeap: pattern('FINMESH_REGISTRY_HEAP', '512m', heap, 'a JVM heap size such as 512m or 1g'),
    pgHost: pattern('FINMESH_PG_HOST', '127.0.0.1', host, 'a host name or IP address'),
    pgPort: port('FINMESH_PG_PORT', 5432),
    pgUser: pattern('FINMESH_PG_USER', 'postgres', /^[A-Za-z_][A-Za-z0-9_$-]*$/, 'a PostgreSQL role name'),
    pgPassword: env.FINMESH_PG_PASSWORD || undefined,
    timeoutS,
  };

  // Two services cannot share a port; name both settings so the fix is obvious.
  /** @type {Array<[string, number]>} */
  const ports = [
    ['FINMESH_KAFKA_PORT', config.kafkaPort],
    ['FINMESH_KAFKA_CONTROLLER_PORT', config.kafkaControllerPort],
    ['FINMESH_REGISTRY_PORT', config.registryPort],
    ['FINMESH_REGISTRY_MGMT_PORT', config.registryMgmtPort],
    ['FINMESH_PG_PORT', config.pgPort],
  ];
  for (let i = 0; i < ports.length; i++) {
    for (let j = i + 1; j < ports.length; j++) {
      const [a, pa] = /** @type {[string, number]} */ (ports[i]);
      const [b, pb] = /** @type {[string, number]} */ (ports[j]);
      if (pa === pb) problems.push(`${a} and ${b} are both ${pa}: each service needs its own port`);
    }
  }
  return { config, problems };
}

/** Where everything lives under FINMESH_INFRA_HOME. @param {Config} c */
function layout(c) {
  return {
    kafkaLib: path.join(c.home, 'kafka', c.kafkaVersion, 'lib'),
    kafkaData: path.join(c.home, 'kafka', 'data'),
    kafkaFormatRecord: path.join(c.home, 'kafka', 'format.json'),
    kafkaProperties: path.join(c.home, 'kafka', 'server.properties'),
    registryRoot: path.join(c.home, 'registry'),
    logs: path.join(c.home, 'logs'),
    run: path.join(c.home, 'run'),
  };
}

// ---------------------------------------------------------------------------------------------
// Output: step timing
// ---------------------------------------------------------------------------------------------

/** @param {number} ms */
const fmtSeconds = (ms) => `${(ms / 1000).toFixed(1)}s`;

/**
 * Runs one named step and prints its outcome with its duration. Steps of Kafka and the registry
 * run concurrently, so every line carries the component name.
 * @template T
 * @param {string} component
 * @param {string} title
 * @param {() => Promise<T>} fn
 * @returns {Promise<T>}
 */
async function step(component, title, fn) {
  const started = Date.now();
  try {
    const result = await fn();
    const note = typeof result === 'string' && result ? ` (${result})` : '';
    console.log(`  ok   ${`[${component}]`.padEnd(11)} ${title}${note}  ${fmtSeconds(Date.now() - started)}`);
    return result;
  } catch (err) {
    console.log(`  FAIL ${`[${component}]`.padEnd(11)} ${title}  ${fmtSeconds(Date.now() - started)}`);
    throw err;
  }
}

/** @param {string} msg */
const warn = (msg) => console.log(`  warn ${msg}`);

// ---------------------------------------------------------------------------------------------
// Child processes
// ---------------------------------------------------------------------------------------------

/**
 * Runs a command to completion, capturing output. Never throws for a non-zero exit; callers
 * decide what a failure means. A missing executable is reported as code 127.
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, input?: string }} [opts]
 * @returns {Promise<{ code: number, stdout: string, stderr: string }>}
 */
function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    // stdin only when there is input: a child that exits without reading it (tar, java -version)
    // would otherwise make our write fail with EPIPE.
    const withInput = opts.input !== undefined;
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: [withInput ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    child.on('error', (err) => resolve({ code: 127, stdout, stderr: `${stderr}${err.message}` }));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    if (child.stdin) {
      // The child may exit before reading its input; its exit code tells what happened.
      child.stdin.on('error', () => undefined);
      child.stdin.end(opts.input);
    }
  });
}

/** @param {string} cmd @returns {boolean} */
function onPath(cmd) {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, cmd)));
}

/** @param {number} pid */
function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return /** @type {NodeJS.ErrnoException} */ (err).code === 'EPERM';
  }
}

/**
 * Every JVM this script starts carries these two system properties. They let `down` prove a pid
 * is still ours (pids get reused) and find our processes even if a pid file was lost.
 * @param {Config} c @param {'kafka' | 'registry'} component
 */
const markerArgs = (c, component) => [`-Dfinmesh.infra.component=${component}`, `-Dfinmesh.infra.home=${c.home}`];

/** @param {number} pid @returns {string | undefined} NUL-separated command line (Linux /proc) */
function cmdlineOf(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * True if `pid` is a live process started by this script for `component` and this home. Where
 * /proc does not exist (macOS) the pid file is trusted as long as the pid is alive.
 * @param {Config} c @param {'kafka' | 'registry'} component @param {number} pid
 */
function isOurProcess(c, component, pid) {
  if (!isAlive(pid)) return false;
  if (!fs.existsSync('/proc')) return true;
  const cmd = cmdlineOf(pid);
  return cmd !== undefined && markerArgs(c, component).every((m) => cmd.split('\0').includes(m));
}

/** Pids of all live processes carrying our markers (Linux only). @param {Config} c @param {'kafka' | 'registry'} component */
function findOurProcesses(c, component) {
  if (!fs.existsSync('/proc')) return [];
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => pid !== process.pid && isOurProcess(c, component, pid));
}

/**
 * Starts a long-running process that outlives this script: its own session (detached), no
 * stdin, stdout+stderr appended to `logFile`.
 * @param {string} cmd @param {string[]} args
 * @param {{ cwd: string, env: NodeJS.ProcessEnv, logFile: string }} opts
 * @returns {number} pid
 */
function startDetached(cmd, args, opts) {
  rotateLog(opts.logFile);
  const fd = fs.openSync(opts.logFile, 'a');
  fs.writeSync(fd, `\n===== ${new Date().toISOString()} finmesh-infra starting: ${cmd} ${args.join(' ')}\n`);
  try {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', fd, fd] });
    if (child.pid === undefined) throw new InfraError(`could not start ${cmd}; see ${opts.logFile}`);
    child.unref();
    return child.pid;
  } finally {
    fs.closeSync(fd);
  }
}

/** Keeps one previous log so a long-lived dev machine does not fill its disk. @param {string} file */
function rotateLog(file) {
  try {
    if (fs.statSync(file).size > LOG_ROTATE_BYTES) fs.renameSync(file, `${file}.1`);
  } catch {
    /* no log yet */
  }
}

/**
 * The last `n` lines written since the most recent start banner, so a failure report never
 * shows an earlier run's output.
 * @param {string} file @param {number} n
 */
function lastLines(file, n) {
  try {
    const text = fs.readFileSync(file, 'utf8');
    const banner = text.lastIndexOf('\n===== ');
    const lines = (banner >= 0 ? text.slice(banner + 1) : text).trimEnd().split('\n');
    return lines.slice(-n).join('\n');
  } catch {
    return '(no log file)';
  }
}

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Pid files: <home>/run/<component>.pid (just the pid, usable from a shell) and
// <home>/run/<component>.json (what was started: version, Java, ports, log) for `status`.
// ---------------------------------------------------------------------------------------------

/**
 * @typedef {object} RunRecord
 * @property {number} pid
 * @property {string} version
 * @property {string} java
 * @property {number} javaMajor
 * @property {string} startedAt
 * @property {string} logFile
 * @property {string} [note]
 */

/** @param {Config} c @param {'kafka' | 'registry'} component @param {RunRecord} rec */
function writeRunRecord(c, component, rec) {
  const dir = layout(c).run;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${component}.pid`), `${rec.pid}\n`);
  fs.writeFileSync(path.join(dir, `${component}.json`), `${JSON.stringify(rec, null, 2)}\n`);
}

/** @param {Config} c @param {'kafka' | 'registry'} component @returns {RunRecord | undefined} */
function readRunRecord(c, component) {
  const dir = layout(c).run;
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, `${component}.json`), 'utf8'));
  } catch {
    try {
      const pid = Number(fs.readFileSync(path.join(dir, `${component}.pid`), 'utf8').trim());
      return Number.isInteger(pid) && pid > 0
        ? { pid, version: '?', java: '?', javaMajor: 0, startedAt: '?', logFile: '?' }
        : undefined;
    } catch {
      return undefined;
    }
  }
}

/** @param {Config} c @param {'kafka' | 'registry'} component */
function removeRunRecord(c, component) {
  const dir = layout(c).run;
  for (const f of [`${component}.pid`, `${component}.json`]) fs.rmSync(path.join(dir, f), { force: true });
}

/** The live pid this script started for a component, if any. @param {Config} c @param {'kafka' | 'registry'} component */
function ourRunningPid(c, component) {
  const rec = readRunRecord(c, component);
  return rec && isOurProcess(c, component, rec.pid) ? rec.pid : undefined;
}

// ---------------------------------------------------------------------------------------------
// Java discovery
// ---------------------------------------------------------------------------------------------

/** @typedef {{ home: string, bin: string, major: number, version: string }} JavaInstall */

/**
 * Version of a Java home, from its `release` file (no JVM start needed), else `java -version`.
 * @param {string} home @returns {JavaInstall | undefined}
 */
function probeJavaHome(home) {
  const bin = path.join(home, 'bin', 'java');
  if (!fs.existsSync(bin)) return undefined;
  let version;
  try {
    version = /^JAVA_VERSION="([^"]+)"/m.exec(fs.readFileSync(path.join(home, 'release'), 'utf8'))?.[1];
  } catch {
    /* no release file: ask the JVM */
  }
  version ??= parseJavaVersion(spawnSync(bin, ['-version'], { encoding: 'utf8' }).stderr ?? '');
  const major = javaMajor(version);
  return major ? { home, bin, major, version: version ?? '?' } : undefined;
}

/** @param {string} text output of `java -version` */
function parseJavaVersion(text) {
  return /version "([^"]+)"/.exec(text)?.[1];
}

/** "1.8.0_392" -> 8, "17.0.15" -> 17, "25" -> 25 @param {string | undefined} v */
function javaMajor(v) {
  if (!v) return 0;
  const [first, second] = v.split(/[.+_-]/).map(Number);
  return first === 1 ? second ?? 0 : first ?? 0;
}

/** The `java` on PATH, used for Kafka (needs 17+). @returns {JavaInstall} */
function kafkaJava() {
  const res = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (res.error) {
    throw new InfraError('Kafka needs Java 17 or newer, but no `java` is on PATH. Install a JDK 17+ (e.g. apt-get install openjdk-17-jre-headless).');
  }
  const version = parseJavaVersion(res.stderr ?? '');
  const major = javaMajor(version);
  if (major < 17) {
    throw new InfraError(`Kafka needs Java 17 or newer, but \`java\` on PATH is ${version ?? 'unrecognised'}. Put a JDK 17+ first on PATH.`);
  }
  let bin = 'java';
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, 'java'))) {
      bin = fs.realpathSync(path.join(dir, 'java'));
      break;
    }
  }
  return { home: path.dirname(path.dirname(bin)), bin, major, version: version ?? '?' };
}

/** Java homes installed in the usual places, deduplicated (distros add alias symlinks). */
function installedJavaHomes() {
  const roots = ['/usr/lib/jvm', '/usr/java', '/opt/java', '/Library/Java/JavaVirtualMachines'];
  /** @type {Map<string, JavaInstall>} */
  const found = new Map();
  for (const root of roots) {
    let entries = [];
    try {
      entries = fs.readdirSync(root);
    } catch {
      continue;
    }
    for (const e of entries) {
      for (const home of [path.join(root, e), path.join(root, e, 'Contents', 'Home')]) {
        let real;
        try {
          real = fs.realpathSync(home);
        } catch {
          continue;
        }
        if (found.has(real)) continue;
        const j = probeJavaHome(real);
        if (j) found.set(real, j);
      }
    }
  }
  return [...found.values()].sort((a, b) => b.major - a.major);
}

/**
 * Chooses the Java and Apicurio version for the registry. Apicurio 3.3.x is compiled for Java 21,
 * so prefer a Java 21+ (FINMESH_REGISTRY_JAVA_HOME, JAVA_HOME, then installed JDKs, newest
 * first). With only Java 17 available, fall back to Apicurio 3.0.9, the last line built for 17.
 * @param {Config} c
 * @returns {{ java: JavaInstall, version: string, fallback: boolean }}
 */
function chooseRegistryRuntime(c) {
  /** @param {JavaInstall} java */
  const pick = (java) => {
    if (java.major < 17) {
      throw new InfraError(`Apicurio Registry needs Java 17+ (21+ for ${APICURIO_VERSION_JAVA21}); ${java.home} is Java ${java.version}.`);
    }
    if (c.apicurioVersion) return { java, version: c.apicurioVersion, fallback: false };
    return java.major >= 21
      ? { java, version: APICURIO_VERSION_JAVA21, fallback: false }
      : { java, version: APICURIO_VERSION_JAVA17, fallback: true };
  };
  if (c.registryJavaHome) {
    const j = probeJavaHome(c.registryJavaHome);
    if (!j) throw new InfraError(`FINMESH_REGISTRY_JAVA_HOME=${c.registryJavaHome} is not a usable Java home (cannot tell its version).`);
    return pick(j);
  }
  /** @type {JavaInstall[]} */
  const candidates = [];
  const fromEnv = process.env.JAVA_HOME ? probeJavaHome(process.env.JAVA_HOME) : undefined;
  if (fromEnv) candidates.push(fromEnv);
  candidates.push(...installedJavaHomes());
  try {
    candidates.push(kafkaJava());
  } catch {
    /* no java on PATH; other candidates may still work */
  }
  const modern = candidates.find((j) => j.major >= 21);
  if (modern) return pick(modern);
  const best = candidates.sort((a, b) => b.major - a.major)[0];
  if (!best) {
    throw new InfraError('Apicurio Registry needs Java 21+ (or 17 for the 3.0.9 fallback) and none was found. Install a JDK 21+ or set FINMESH_REGISTRY_JAVA_HOME.');
  }
  return pick(best);
}

// ---------------------------------------------------------------------------------------------
// Network probes
// ---------------------------------------------------------------------------------------------

/**
 * True if nothing listens on host:port, tested by binding it (a connect test would miss a
 * listener on 0.0.0.0 that still blocks our bind).
 * @param {string} host @param {number} port @returns {Promise<boolean>}
 */
function isPortFree(host, port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ host, port, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** Minimal big-endian reader for Kafka protocol responses. */
class KafkaReader {
  /** @param {Buffer} buf */
  constructor(buf) {
    this.buf = buf;
    this.pos = 0;
  }
  int16() {
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  int32() {
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  uvarint() {
    let value = 0;
    let shift = 0;
    for (;;) {
      const b = this.buf.readUInt8(this.pos++);
      value |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return value >>> 0;
      shift += 7;
      if (shift > 28) throw new Error('varint too long');
    }
  }
  /** @returns {string | null} */
  compactString() {
    const len = this.uvarint() - 1;
    if (len < 0) return null;
    const s = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    return s;
  }
  skipTaggedFields() {
    const n = this.uvarint();
    for (let i = 0; i < n; i++) {
      this.uvarint();
      this.pos += this.uvarint();
    }
  }
}

/**
 * One Kafka connection for the probes: TLS against the local CA (the client listener is SASL_SSL),
 * requests sent one at a time. Request header v1 (non-flexible) or v2 (flexible: adds an empty
 * tagged-field section). Errors carry code 'ECONNREFUSED' when nothing listens, 'NOT_TLS' when the
 * peer does not complete a TLS handshake (a plaintext Kafka of an older finmesh, or not Kafka) and
 * 'NOT_KAFKA' when it does not speak the Kafka protocol.
 */
class KafkaProbeConnection {
  /** @param {tls.TLSSocket} socket @param {string} where */
  constructor(socket, where) {
    this.socket = socket;
    this.where = where;
    this.correlationId = 0x46_4d_53_00; // "FMS.": a non-Kafka peer will not echo it
    /** @type {Buffer} */
    this.buf = Buffer.alloc(0);
    /** @type {{ resolve: (r: KafkaReader) => void, reject: (e: Error) => void, correlationId: number } | undefined} */
    this.pending = undefined;
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', (err) => this.failPending(/** @type {NodeJS.ErrnoException} */ (err).code ?? 'ERROR', err.message));
    socket.on('close', () => this.failPending('NOT_KAFKA', `${where} closed the connection without a Kafka reply`));
  }

  /**
   * @param {string} host @param {number} port @param {string} caPem @param {number} [timeoutMs]
   * @returns {Promise<KafkaProbeConnection>}
   */
  static open(host, port, caPem, timeoutMs = 3000) {
    const where = `${host}:${port}`;
    return new Promise((resolve, reject) => {
      const socket = tls.connect({ host, port, ca: [caPem], servername: net.isIP(host) ? undefined : host, timeout: timeoutMs });
      /** @param {string} code @param {string} message */
      const fail = (code, message) => {
        socket.destroy();
        reject(Object.assign(new Error(message), { code }));
      };
      socket.once('timeout', () => fail('NOT_TLS', `no TLS handshake from ${where} within ${timeoutMs} ms`));
      socket.once('error', (err) => {
        const code = /** @type {NodeJS.ErrnoException} */ (err).code ?? 'ERROR';
        fail(code === 'ECONNREFUSED' ? code : 'NOT_TLS', `${where}: ${err.message}`);
      });
      socket.once('secureConnect', () => {
        socket.removeAllListeners('error');
        socket.removeAllListeners('timeout');
        socket.setTimeout(timeoutMs, () => socket.destroy(Object.assign(new Error(`no Kafka reply from ${where} within ${timeoutMs} ms`), { code: 'NOT_KAFKA' })));
        resolve(new KafkaProbeConnection(socket, where));
      });
    });
  }

  /** @param {string} code @param {string} message */
  failPending(code, message) {
    const p = this.pending;
    this.pending = undefined;
    p?.reject(Object.assign(new Error(message), { code }));
  }

  /** @param {Buffer} chunk */
  onData(chunk) {
    this.buf = Buffer.concat([this.buf, chunk]);
    if (this.buf.length < 4) return;
    const len = this.buf.readInt32BE(0);
    // An HTTP server answering "HTTP/1.1 400" would read as a ~1.2 GB frame.
    if (len < 4 || len > 64 * 1024 * 1024) return this.failPending('NOT_KAFKA', `${this.where} does not speak the Kafka protocol`);
    if (this.buf.length < 4 + len) return;
    const reader = new KafkaReader(Buffer.from(this.buf.subarray(4, 4 + len)));
    this.buf = this.buf.subarray(4 + len);
    const p = this.pending;
    this.pending = undefined;
    if (!p) return;
    if (reader.int32() !== p.correlationId) return p.reject(Object.assign(new Error(`${this.where} does not speak the Kafka protocol`), { code: 'NOT_KAFKA' }));
    p.resolve(reader);
  }

  /**
   * @param {{ apiKey: number, apiVersion: number, flexible: boolean, body: Buffer }} req
   * @returns {Promise<KafkaReader>}
   */
  request(req) {
    const correlationId = ++this.correlationId;
    const clientId = Buffer.from('finmesh-infra');
    const header = Buffer.alloc(10 + clientId.length);
    header.writeInt16BE(req.apiKey, 0);
    header.writeInt16BE(req.apiVersion, 2);
    header.writeInt32BE(correlationId, 4);
    header.writeInt16BE(clientId.length, 8);
    clientId.copy(header, 10);
    const payload = Buffer.concat([header, req.flexible ? Buffer.from([0]) : Buffer.alloc(0), req.body]);
    const size = Buffer.alloc(4);
    size.writeInt32BE(payload.length);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject, correlationId };
      this.socket.write(Buffer.concat([size, payload]));
    });
  }

  close() {
    this.socket.removeAllListeners('close');
    this.socket.end();
  }
}

/** @param {number} n */
function uvarintBytes(n) {
  const out = [];
  let v = n >>> 0;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return Buffer.from(out);
}

/**
 * ApiVersions v0: every Kafka since 0.10 answers it (with UNSUPPORTED_VERSION plus its ranges if
 * it dislikes v0), and SASL listeners answer it before authentication.
 * @param {KafkaProbeConnection} conn
 * @returns {Promise<Map<number, { min: number, max: number }>>} api key -> supported versions
 */
async function kafkaApiVersions(conn) {
  const r = await conn.request({ apiKey: 18, apiVersion: 0, flexible: false, body: Buffer.alloc(0) });
  r.int16(); // error code; the version ranges follow either way
  const n = r.int32();
  const apis = new Map();
  for (let i = 0; i < n; i++) {
    const key = r.int16();
    apis.set(key, { min: r.int16(), max: r.int16() });
  }
  return apis;
}

/**
 * SASL/SCRAM-SHA-512 (RFC 5802) on the connection: SaslHandshake v1, then two SaslAuthenticate v2
 * rounds. The server's final signature is checked, so a broker that does not know the password
 * cannot pass for ours.
 * @param {KafkaProbeConnection} conn @param {string} username @param {string} password
 */
async function kafkaScramLogin(conn, username, password) {
  const mech = Buffer.from('SCRAM-SHA-512');
  const hs = Buffer.alloc(2 + mech.length);
  hs.writeInt16BE(mech.length, 0);
  mech.copy(hs, 2);
  const h = await conn.request({ apiKey: 17, apiVersion: 1, flexible: false, body: hs });
  const hsError = h.int16();
  if (hsError !== 0) throw Object.assign(new Error(`the broker does not offer SCRAM-SHA-512 (error ${hsError})`), { code: 'SASL' });
  /** @param {Buffer} bytes */
  const authenticate = async (bytes) => {
    const r = await conn.request({ apiKey: 36, apiVersion: 2, flexible: true, body: Buffer.concat([uvarintBytes(bytes.length + 1), bytes, Buffer.from([0])]) });
    r.skipTaggedFields(); // response header v1
    const error = r.int16();
    const message = r.compactString();
    const len = r.uvarint() - 1;
    const data = r.buf.subarray(r.pos, r.pos + Math.max(len, 0));
    if (error !== 0) throw Object.assign(new Error(`SASL authentication of ${username} failed: ${message ?? `error ${error}`}`), { code: 'SASL' });
    return data.toString('utf8');
  };
  const saslName = username.replace(/=/g, '=3D').replace(/,/g, '=2C');
  const nonce = randomBytes(24).toString('base64');
  const clientFirstBare = `n=${saslName},r=${nonce}`;
  const serverFirst = await authenticate(Buffer.from(`n,,${clientFirstBare}`));
  const fields = Object.fromEntries(serverFirst.split(',').map((kv) => [kv.slice(0, 1), kv.slice(2)]));
  if (!fields.r?.startsWith(nonce) || !fields.s || !fields.i) throw Object.assign(new Error(`unexpected SCRAM server-first message`), { code: 'SASL' });
  const salted = pbkdf2Sync(password, Buffer.from(fields.s, 'base64'), Number(fields.i), 64, 'sha512');
  /** @param {Buffer} key @param {string} text */
  const hmac = (key, text) => createHmac('sha512', key).update(text).digest();
  const clientKey = hmac(salted, 'Client Key');
  const storedKey = createHash('sha512').update(clientKey).digest();
  const withoutProof = `c=biws,r=${fields.r}`;
  const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
  const signature = hmac(storedKey, authMessage);
  const proof = Buffer.from(clientKey.map((b, i) => b ^ /** @type {number} */ (signature[i])));
  const serverFinal = await authenticate(Buffer.from(`${withoutProof},p=${proof.toString('base64')}`));
  const expected = hmac(hmac(salted, 'Server Key'), authMessage).toString('base64');
  if (serverFinal !== `v=${expected}`) throw Object.assign(new Error('the broker failed SCRAM server verification'), { code: 'SASL' });
}

/**
 * Metadata (api key 3) for no topics, as the admin principal: brokers, cluster id and controller.
 * Uses the flexible versions 9..12, whose response starts identically; Kafka 4.x supports all.
 * @param {Config} c
 * @returns {Promise<{ brokers: Array<{ nodeId: number, host: string, port: number }>, clusterId: string | null, controllerId: number }>}
 */
async function kafkaMetadata(c) {
  const s = kafkaSecrets(c);
  const conn = await KafkaProbeConnection.open(c.kafkaHost, c.kafkaPort, fs.readFileSync(s.caPem, 'utf8'));
  try {
    const range = (await kafkaApiVersions(conn)).get(3);
    if (!range || range.max < 9) throw Object.assign(new Error('broker too old for Metadata v9+'), { code: 'OLD_KAFKA' });
    await kafkaScramLogin(conn, KAFKA_PRINCIPALS.admin, fs.readFileSync(s.passwordFile(KAFKA_PRINCIPALS.admin), 'utf8').trim());
    const version = Math.min(range.max, 12);
    // topics: empty compact array (1 = length 0; 0 would mean "all topics"), no auto-create,
    // v9/10 only: include_cluster_authorized_operations, then include_topic_authorized_operations.
    const body = Buffer.from(version <= 10 ? [1, 0, 0, 0, 0] : [1, 0, 0, 0]);
    const r = await conn.request({ apiKey: 3, apiVersion: version, flexible: true, body });
    r.skipTaggedFields(); // response header v1
    r.int32(); // throttle_time_ms
    const brokers = [];
    const count = r.uvarint() - 1;
    for (let i = 0; i < count; i++) {
      const nodeId = r.int32();
      const bhost = r.compactString() ?? '?';
      const bport = r.int32();
      r.compactString(); // rack
      r.skipTaggedFields();
      brokers.push({ nodeId, host: bhost, port: bport });
    }
    const clusterId = r.compactString();
    const controllerId = r.int32();
    return { brokers, clusterId, controllerId };
  } finally {
    conn.close();
  }
}

/**
 * What answers on the Kafka port: 'kafka', 'free' (nothing listens) or 'foreign'.
 * @param {Config} c @returns {Promise<'kafka' | 'free' | 'foreign'>}
 */
async function classifyKafkaPort(c) {
  const ca = kafkaSecrets(c).caPem;
  if (!fs.existsSync(ca)) return (await isPortFree(c.kafkaHost, c.kafkaPort)) ? 'free' : 'foreign';
  try {
    const conn = await KafkaProbeConnection.open(c.kafkaHost, c.kafkaPort, fs.readFileSync(ca, 'utf8'));
    try {
      await kafkaApiVersions(conn);
    } finally {
      conn.close();
    }
    return 'kafka';
  } catch (err) {
    const code = /** @type {NodeJS.ErrnoException} */ (err).code;
    if (code === 'ECONNREFUSED') return (await isPortFree(c.kafkaHost, c.kafkaPort)) ? 'free' : 'foreign';
    return 'foreign';
  }
}

/**
 * GET with a short timeout; never throws.
 * @param {string} url @param {number} [timeoutMs]
 * @returns {Promise<{ ok: boolean, status: number, body: string, error?: string, refused?: boolean }>}
 */
async function httpGet(url, timeoutMs = 3000) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return { ok: res.ok, status: res.status, body: await res.text() };
  } catch (err) {
    const cause = /** @type {{ cause?: { code?: string } }} */ (err).cause;
    return { ok: false, status: 0, body: '', error: String(/** @type {Error} */ (err).message), refused: cause?.code === 'ECONNREFUSED' };
  }
}

/** @param {Config} c */
const registryBaseUrl = (c) => `http://${c.registryHost}:${c.registryPort}`;
/** @param {Config} c */
const ccompatUrl = (c) => `${registryBaseUrl(c)}/apis/ccompat/v7`;

/**
 * What answers on the registry port. A Confluent-compatible `/subjects` that returns a JSON array
 * is what the services need, so that is the test.
 * @param {Config} c @returns {Promise<'registry' | 'free' | 'foreign'>}
 */
async function classifyRegistryPort(c) {
  const res = await httpGet(`${ccompatUrl(c)}/subjects`);
  if (res.ok) {
    try {
      if (Array.isArray(JSON.parse(res.body))) return 'registry';
    } catch {
      /* not JSON */
    }
  }
  if (res.refused) return (await isPortFree(c.registryHost, c.registryPort)) ? 'free' : 'foreign';
  return 'foreign';
}

/**
 * Readiness of the registry: Quarkus health says the database is reachable. Apicurio 3.1+
 * serves health on the management port; 3.0.x (no management interface) on the main port.
 * @param {Config} c
 */
async function registryReady(c) {
  for (const base of [`http://${c.registryHost}:${c.registryMgmtPort}`, registryBaseUrl(c)]) {
    const res = await httpGet(`${base}/health/ready`, 2000);
    if (res.ok && /"status"\s*:\s*"UP"/.test(res.body)) return true;
  }
  return false;
}

/** @param {Config} c @returns {Promise<{ name: string, version: string } | undefined>} */
async function registryInfo(c) {
  const res = await httpGet(`${registryBaseUrl(c)}/apis/registry/v3/system/info`);
  if (!res.ok) return undefined;
  try {
    return JSON.parse(res.body);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL (the machine's own server; we only start it if it is down and local)
// ---------------------------------------------------------------------------------------------

/** @param {Config} c */
function pgEnv(c) {
  return { ...process.env, ...(c.pgPassword ? { PGPASSWORD: c.pgPassword } : {}), PGCONNECT_TIMEOUT: '5' };
}

/** @param {Config} c @param {string} db @param {string} sql */
async function psqlQuery(c, db, sql) {
  const res = await run('psql', ['-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', c.pgHost, '-p', String(c.pgPort), '-U', c.pgUser, '-d', db, '-c', sql], { env: pgEnv(c) });
  if (res.code !== 0) throw new InfraError(`psql failed on database ${db}: ${res.stderr.trim() || `exit ${res.code}`}`);
  return res.stdout.trim();
}

/** @param {Config} c */
async function pgAnswers(c) {
  const res = await run('pg_isready', ['-q', '-h', c.pgHost, '-p', String(c.pgPort), '-t', '3'], { env: pgEnv(c) });
  if (res.code === 127) return (await isPortFree(c.pgHost, c.pgPort)) === false; // no pg_isready: port test
  return res.code === 0;
}

/**
 * Starts the local Debian/Ubuntu cluster listening on FINMESH_PG_PORT (pg_ctlcluster); other
 * setups get a message telling the user to start PostgreSQL themselves.
 * @param {Config} c
 */
async function startLocalPostgres(c) {
  const hint = `Start PostgreSQL on ${c.pgHost}:${c.pgPort} yourself, or point FINMESH_PG_HOST/FINMESH_PG_PORT at a running server.`;
  if (!['127.0.0.1', 'localhost', '::1'].includes(c.pgHost)) throw new InfraError(`PostgreSQL at ${c.pgHost}:${c.pgPort} does not answer. ${hint}`);
  if (!onPath('pg_lsclusters') || !onPath('pg_ctlcluster')) throw new InfraError(`PostgreSQL at ${c.pgHost}:${c.pgPort} does not answer and pg_ctlcluster is not available. ${hint}`);
  const list = await run('pg_lsclusters', ['-h']);
  // columns: version cluster port status owner datadir logfile
  const cluster = list.stdout.split('\n').map((l) => l.trim().split(/\s+/)).find((cols) => cols[2] === String(c.pgPort));
  if (!cluster) throw new InfraError(`PostgreSQL does not answer and no local cluster is configured for port ${c.pgPort} (pg_lsclusters). ${hint}`);
  const [ver, name] = /** @type {[string, string]} */ (cluster);
  const res = await run('pg_ctlcluster', ['--skip-systemctl-redirect', ver, name, 'start']);
  if (res.code !== 0) throw new InfraError(`pg_ctlcluster ${ver} ${name} start failed: ${(res.stderr || res.stdout).trim()}. ${hint}`);
  for (let i = 0; i < 30 && !(await pgAnswers(c)); i++) await sleep(500);
  if (!(await pgAnswers(c))) throw new InfraError(`PostgreSQL cluster ${ver}/${name} was started but does not answer on port ${c.pgPort}. ${hint}`);
  return `started local cluster ${ver}/${name}`;
}

/** @param {Config} c */
async function ensurePostgres(c) {
  if (!onPath('psql')) throw new InfraError('psql (PostgreSQL client) is not on PATH; install it (e.g. apt-get install postgresql-client).');
  let note = 'already running';
  if (!(await pgAnswers(c))) note = await startLocalPostgres(c);
  return note;
}

/** Runs infra/postgres/init.sql (idempotent: databases + service schemas). @param {Config} c */
async function ensureDatabases(c) {
  const res = await run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', c.pgHost, '-p', String(c.pgPort), '-U', c.pgUser, '-d', 'postgres', '-f', PG_INIT_SQL], { env: pgEnv(c) });
  if (res.code !== 0) {
    throw new InfraError(`creating databases failed (psql -f ${path.relative(REPO_ROOT, PG_INIT_SQL)}): ${res.stderr.trim()}\nCheck FINMESH_PG_USER (${c.pgUser}) may create databases and FINMESH_PG_PASSWORD if the server requires one.`);
  }
  return `${APP_DB} (${APP_SCHEMAS.length} schemas), ${REGISTRY_DB}`;
}

/** @param {Config} c */
async function postgresStatus(c) {
  if (!onPath('psql')) return { up: false, detail: 'psql not on PATH' };
  if (!(await pgAnswers(c))) return { up: false, detail: `not answering on ${c.pgHost}:${c.pgPort}` };
  try {
    const version = await psqlQuery(c, 'postgres', 'SHOW server_version');
    const dbs = (await psqlQuery(c, 'postgres', `SELECT datname FROM pg_database WHERE datname IN ('${APP_DB}','${REGISTRY_DB}') ORDER BY 1`)).split('\n').filter(Boolean);
    const schemas = dbs.includes(APP_DB)
      ? (await psqlQuery(c, APP_DB, `SELECT nspname FROM pg_namespace WHERE nspname IN (${APP_SCHEMAS.map((s) => `'${s}'`).join(',')})`)).split('\n').filter(Boolean)
      : [];
    const missing = [APP_DB, REGISTRY_DB].filter((d) => !dbs.includes(d));
    const missingSchemas = APP_SCHEMAS.filter((s) => !schemas.includes(s));
    const up = missing.length === 0 && missingSchemas.length === 0;
    return {
      up,
      version: version.split(' ')[0],
      databases: dbs,
      schemas,
      detail: up
        ? `PostgreSQL ${version.split(' ')[0]} at ${c.pgHost}:${c.pgPort}, databases ${dbs.join(', ')} (${schemas.length}/${APP_SCHEMAS.length} schemas)`
        : `PostgreSQL ${version.split(' ')[0]} at ${c.pgHost}:${c.pgPort}, missing: ${[...missing, ...missingSchemas.map((s) => `${APP_DB}.${s}`)].join(', ')} (run up)`,
    };
  } catch (err) {
    return { up: false, detail: /** @type {Error} */ (err).message };
  }
}

// ---------------------------------------------------------------------------------------------
// Downloads (Maven)
// ---------------------------------------------------------------------------------------------

/**
 * Maven's local repository is not safe for concurrent writers, so the two downloads queue here
 * while everything else (formatting, starting, waiting) still runs concurrently.
 */
let mavenQueue = Promise.resolve();
/** @template T @param {() => Promise<T>} fn @returns {Promise<T>} */
function withMaven(fn) {
  const next = mavenQueue.then(fn, fn);
  mavenQueue = next.then(() => undefined, () => undefined);
  return next;
}

/** @param {string} artifact @param {string[]} args @param {string} cwd */
async function mvn(artifact, args, cwd) {
  if (!onPath('mvn')) throw new InfraError(`Maven (mvn) is needed to download ${artifact} and is not on PATH; install Maven 3.6+.`);
  const res = await run('mvn', ['-q', '-B', ...args], { cwd });
  if (res.code !== 0) {
    const out = `${res.stdout}\n${res.stderr}`.trim().split('\n').filter((l) => /ERROR|Could not|resolve/i.test(l)).slice(-8).join('\n');
    throw new InfraError(`downloading ${artifact} with Maven failed (exit ${res.code}). Check network access to Maven Central and that the version exists.\n${out}`);
  }
}

/**
 * Resolves the Kafka broker + tools classpath into <home>/kafka/<version>/lib. Written to a
 * temporary folder and renamed, so an interrupted download never looks complete.
 * @param {Config} c
 */
async function installKafka(c) {
  const lib = layout(c).kafkaLib;
  if (fs.existsSync(lib)) return 'present';
  const tmp = `${lib}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  try {
    await withMaven(() =>
      mvn(`org.apache.kafka:kafka_2.13:${c.kafkaVersion} (+ kafka-tools)`, ['-f', KAFKA_POM, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${tmp}`, `-Dkafka.version=${c.kafkaVersion}`], path.dirname(tmp)),
    );
    if (!fs.readdirSync(tmp).some((f) => f.startsWith('kafka_'))) throw new InfraError(`Maven finished but no kafka_*.jar arrived in ${tmp}`);
    fs.renameSync(tmp, lib);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return `downloaded ${fs.readdirSync(lib).length} jars`;
}

/**
 * Fetches and unpacks the Apicurio Registry distribution into <home>/registry/<version>.
 * Maven caches the archive in ~/.m2, so a re-install after deleting .finmesh is local.
 * @param {Config} c @param {string} version
 */
async function installRegistry(c, version) {
  const dir = path.join(layout(c).registryRoot, version);
  if (fs.existsSync(dir)) return 'present';
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  const artifact = `io.apicurio:apicurio-registry-app:${version}:tar.gz:all`;
  try {
    // Run outside the repo so Maven does not pick up any pom.xml; dependency:copy needs none.
    await withMaven(() => mvn(artifact, ['dependency:copy', `-Dartifact=${artifact}`, `-DoutputDirectory=${tmp}`], tmp));
    const archive = fs.readdirSync(tmp).find((f) => f.endsWith('.tar.gz'));
    if (!archive) throw new InfraError(`Maven finished but ${artifact} did not arrive in ${tmp}`);
    const untar = await run('tar', ['-xzf', archive], { cwd: tmp });
    if (untar.code !== 0) throw new InfraError(`unpacking ${archive} failed: ${untar.stderr.trim()}`);
    fs.rmSync(path.join(tmp, archive));
    registryLaunchJar(tmp); // fail now, not at start, if the layout is unknown
    fs.renameSync(tmp, dir);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return `downloaded ${version}`;
}

/**
 * The jar to run. Apicurio 3.1+ ships a Quarkus fast-jar (quarkus-run.jar + lib/ app/ quarkus/);
 * 3.0.x ships a legacy runner (apicurio-registry-app-<v>-runner.jar + lib/).
 * @param {string} dir
 */
function registryLaunchJar(dir) {
  if (fs.existsSync(path.join(dir, 'quarkus-run.jar'))) return 'quarkus-run.jar';
  const runner = fs.readdirSync(dir).find((f) => f.endsWith('-runner.jar'));
  if (runner) return runner;
  throw new InfraError(`unrecognised Apicurio Registry archive layout in ${dir}: neither quarkus-run.jar nor *-runner.jar`);
}

// ---------------------------------------------------------------------------------------------
// Kafka
// ---------------------------------------------------------------------------------------------

/** Every SCRAM user of the broker: the broker, the admin, ops, one per service and platform, the subscriber. */
function kafkaPrincipalNames() {
  const p = KAFKA_PRINCIPALS;
  return [p.broker, p.admin, p.ops, ...p.services.map((s) => `finmesh-${s}`), ...p.platforms.map((x) => `finmesh-platform-${x}`), p.subscriber];
}

/** Where the local stack keeps its CA, broker keystore and principals' passwords. @param {Config} c */
function kafkaSecrets(c) {
  const tlsDir = path.join(c.home, 'kafka', 'tls');
  const secretsDir = path.join(c.home, 'kafka', 'secrets');
  return {
    tlsDir,
    secretsDir,
    caPem: path.join(tlsDir, 'ca.pem'),
    caKey: path.join(tlsDir, 'ca.key'),
    brokerKeystore: path.join(tlsDir, 'broker.p12'),
    brokerKeystorePassword: path.join(tlsDir, 'broker.p12.password'),
    /** @param {string} principal */
    passwordFile: (principal) => path.join(secretsDir, `${principal}.password`),
  };
}

/** @param {string} file */
const readSecret = (file) => fs.readFileSync(file, 'utf8').trim();

/**
 * Generates what is missing: a local CA (ten years), the broker's certificate signed by it (SANs:
 * the Kafka host, localhost, 127.0.0.1 and `kafka` for docker-compose), packed as a PKCS#12
 * keystore, and a random password per principal. Files are 0600 in 0700 folders. Nothing that
 * exists is replaced, so clients keep working across restarts; delete the folder to rotate.
 * @param {Config} c
 */
async function ensureKafkaSecrets(c) {
  const s = kafkaSecrets(c);
  fs.mkdirSync(s.tlsDir, { recursive: true, mode: 0o700 });
  fs.mkdirSync(s.secretsDir, { recursive: true, mode: 0o700 });
  const made = [];
  /** @param {string[]} args */
  const openssl = async (args) => {
    const res = await run('openssl', args, { cwd: s.tlsDir });
    if (res.code !== 0) throw new InfraError(`openssl ${args[0]} failed (is openssl installed?):\n${(res.stderr || res.stdout).trim().split('\n').slice(-8).join('\n')}`);
  };
  if (!fs.existsSync(s.caPem) || !fs.existsSync(s.caKey)) {
    await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-sha256', '-days', '3650', '-nodes', '-keyout', s.caKey, '-out', s.caPem, '-subj', '/CN=finmesh local Kafka CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    fs.rmSync(s.brokerKeystore, { force: true }); // a new CA needs a new broker certificate
    made.push('CA');
  }
  if (!fs.existsSync(s.brokerKeystore) || !fs.existsSync(s.brokerKeystorePassword)) {
    const key = path.join(s.tlsDir, 'broker.key');
    const csr = path.join(s.tlsDir, 'broker.csr');
    const crt = path.join(s.tlsDir, 'broker.pem');
    const ext = path.join(s.tlsDir, 'broker.ext');
    const hostSan = net.isIP(c.kafkaHost.replace(/^\[|\]$/g, '')) ? `IP:${c.kafkaHost.replace(/^\[|\]$/g, '')}` : `DNS:${c.kafkaHost}`;
    const sans = [...new Set([hostSan, 'IP:127.0.0.1', 'DNS:localhost', 'DNS:kafka'])].join(',');
    fs.writeFileSync(ext, `subjectAltName=${sans}\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n`);
    await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${KAFKA_PRINCIPALS.broker}`]);
    await openssl(['x509', '-req', '-in', csr, '-CA', s.caPem, '-CAkey', s.caKey, '-CAcreateserial', '-out', crt, '-days', '825', '-sha256', '-extfile', ext]);
    const storePassword = randomBytes(18).toString('base64url');
    fs.writeFileSync(s.brokerKeystorePassword, `${storePassword}\n`, { mode: 0o600 });
    await openssl(['pkcs12', '-export', '-in', crt, '-inkey', key, '-certfile', s.caPem, '-name', 'broker', '-out', s.brokerKeystore, '-passout', `pass:${storePassword}`]);
    fs.chmodSync(s.brokerKeystore, 0o600);
    for (const f of [key, csr, ext]) fs.rmSync(f, { force: true });
    made.push('broker certificate');
  }
  let passwords = 0;
  for (const principal of kafkaPrincipalNames()) {
    const file = s.passwordFile(principal);
    if (fs.existsSync(file)) continue;
    fs.writeFileSync(file, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
    passwords++;
  }
  if (passwords > 0) made.push(`${passwords} principal passwords`);
  return made.length > 0 ? `generated ${made.join(', ')} in ${path.dirname(s.tlsDir)}` : `CA, broker certificate and ${kafkaPrincipalNames().length} principal passwords in place`;
}

/**
 * Broker config: one combined broker+controller node. Topics are created by finmesh from its
 * topic catalog, never implicitly, so auto-creation is off; retention etc. stay broker defaults
 * because topics set their own.
 *
 * Security (issue 17): clients and the inter-broker traffic use SASL_SSL with SCRAM-SHA-512 on
 * the one client listener. The KRaft controller listener cannot use SCRAM (its credentials live
 * in the metadata it serves), so it runs TLS with client certificates required: only a holder of
 * a certificate from the local CA gets in, and the broker's certificate maps to the principal
 * finmesh-kafka-broker. It listens on the Kafka host (loopback by default) as well. The
 * StandardAuthorizer denies what no ACL allows; the broker and the provisioning admin are super
 * users, every other principal has exactly the ACLs `provisionPlatform` derives from the catalog.
 * @param {Config} c
 */
function kafkaServerProperties(c) {
  const s = kafkaSecrets(c);
  const jaas = (/** @type {string} */ user) => `org.apache.kafka.common.security.scram.ScramLoginModule required username="${user}" password="${readSecret(s.passwordFile(user))}";`;
  return [
    '# Generated by infra/finmesh-infra.mjs on every start; edit the script, not this file.',
    'process.roles=broker,controller',
    `node.id=${KAFKA_NODE_ID}`,
    `controller.quorum.bootstrap.servers=${c.kafkaHost}:${c.kafkaControllerPort}`,
    `listeners=SASL_SSL://${c.kafkaHost}:${c.kafkaPort},CONTROLLER://${c.kafkaHost}:${c.kafkaControllerPort}`,
    `advertised.listeners=SASL_SSL://${c.kafkaHost}:${c.kafkaPort}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=SASL_SSL',
    'listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:SSL',
    'sasl.enabled.mechanisms=SCRAM-SHA-512',
    'sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512',
    `listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=${jaas(KAFKA_PRINCIPALS.broker)}`,
    'ssl.keystore.type=PKCS12',
    `ssl.keystore.location=${s.brokerKeystore}`,
    `ssl.keystore.password=${readSecret(s.brokerKeystorePassword)}`,
    'ssl.truststore.type=PEM',
    `ssl.truststore.location=${s.caPem}`,
    'listener.name.controller.ssl.client.auth=required',
    // The controller's TLS principal is the certificate's CN: User:finmesh-kafka-broker.
    'ssl.principal.mapping.rules=RULE:^CN=([^,]+)$/$1/,DEFAULT',
    'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'allow.everyone.if.no.acl.found=false',
    `super.users=User:${KAFKA_PRINCIPALS.broker};User:${KAFKA_PRINCIPALS.admin}`,
    `log.dirs=${layout(c).kafkaData}`,
    // A single node cannot replicate: internal topics must accept replication factor 1.
    'offsets.topic.replication.factor=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    // Tests start consumer groups constantly; the default 3 s join delay would slow every one.
    'group.initial.rebalance.delay.ms=0',
    'num.partitions=1',
    'auto.create.topics.enable=false',
    '',
  ].join('\n');
}

/** A Kafka Uuid as `kafka-storage random-uuid` prints it: 16 random bytes, base64url, no '-' first. */
function newKafkaClusterId() {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/**
 * Formats the KRaft storage once; the cluster id then lives in the data folder (meta.properties)
 * and in format.json. The controller endpoint is baked into the formatted quorum, so a later
 * change of FINMESH_KAFKA_CONTROLLER_PORT is refused with a way out rather than a broken broker.
 * @param {Config} c @param {JavaInstall} java
 */
async function formatKafka(c, java) {
  const l = layout(c);
  fs.mkdirSync(path.dirname(l.kafkaProperties), { recursive: true });
  fs.writeFileSync(l.kafkaProperties, kafkaServerProperties(c));
  if (fs.existsSync(path.join(l.kafkaData, 'meta.properties'))) {
    /** @type {{ clusterId?: string, controllerEndpoint?: string, security?: string }} */
    let rec = {};
    try {
      rec = JSON.parse(fs.readFileSync(l.kafkaFormatRecord, 'utf8'));
    } catch {
      /* formatted by an older run without a record */
    }
    const endpoint = `${c.kafkaHost}:${c.kafkaControllerPort}`;
    if (rec.controllerEndpoint && rec.controllerEndpoint !== endpoint) {
      throw new InfraError(
        `Kafka storage in ${l.kafkaData} was formatted for controller ${rec.controllerEndpoint}, not ${endpoint}. ` +
          `Set FINMESH_KAFKA_HOST/FINMESH_KAFKA_CONTROLLER_PORT back, or run down and delete ${l.kafkaData} (all topics are lost).`,
      );
    }
    if (rec.security !== KAFKA_SECURITY) {
      throw new InfraError(
        `Kafka storage in ${l.kafkaData} was formatted before SASL/SCRAM (issue 17): it holds no SCRAM users, so no client could log in. ` +
          `Run \`npm run infra:down\`, delete ${l.kafkaData} and ${l.kafkaFormatRecord} (all topics are lost; \`npm start\` re-creates them), then \`npm run infra:up\`.`,
      );
    }
    return `already formatted, cluster ${rec.clusterId ?? '(see meta.properties)'}`;
  }
  const clusterId = newKafkaClusterId();
  // SCRAM users are part of the bootstrap metadata: the broker must know its own before it starts.
  const scram = kafkaPrincipalNames().flatMap((user) => ['--add-scram', `SCRAM-SHA-512=[name=${user},iterations=4096,password=${readSecret(kafkaSecrets(c).passwordFile(user))}]`]);
  const res = await run(java.bin, ['-cp', `${l.kafkaLib}/*`, `-Dlog4j2.configurationFile=${KAFKA_LOG4J}`, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', l.kafkaProperties, '--standalone', '--ignore-formatted', ...scram]);
  if (res.code !== 0) throw new InfraError(`formatting Kafka storage failed:\n${(res.stderr || res.stdout).trim().split('\n').slice(-15).join('\n')}`);
  fs.writeFileSync(l.kafkaFormatRecord, `${JSON.stringify({ clusterId, controllerEndpoint: `${c.kafkaHost}:${c.kafkaControllerPort}`, kafkaVersion: c.kafkaVersion, security: KAFKA_SECURITY, principals: kafkaPrincipalNames(), formattedAt: new Date().toISOString() }, null, 2)}\n`);
  return `cluster ${clusterId}`;
}

/** @param {Config} c @param {JavaInstall} java */
function startKafka(c, java) {
  const l = layout(c);
  fs.mkdirSync(l.logs, { recursive: true });
  const logFile = path.join(l.logs, 'kafka.log');
  const args = [
    `-Xmx${c.kafkaHeap}`,
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${KAFKA_LOG4J}`,
    ...markerArgs(c, 'kafka'),
    '-cp',
    `${l.kafkaLib}/*`,
    'kafka.Kafka',
    l.kafkaProperties,
  ];
  const pid = startDetached(java.bin, args, { cwd: c.home, env: process.env, logFile });
  writeRunRecord(c, 'kafka', { pid, version: c.kafkaVersion, java: java.home, javaMajor: java.major, startedAt: new Date().toISOString(), logFile });
  return pid;
}

/**
 * Waits until the broker serves Metadata listing itself; fails early if the process died.
 * @param {Config} c @param {number} pid @param {string} logFile
 */
async function waitForKafka(c, pid, logFile) {
  const deadline = Date.now() + c.timeoutS * 1000;
  while (Date.now() < deadline) {
    try {
      const md = await kafkaMetadata(c);
      if (md.brokers.length > 0 && md.clusterId) return `broker ${md.brokers[0]?.nodeId}, cluster ${md.clusterId}`;
    } catch {
      /* not yet */
    }
    if (!isAlive(pid)) throw new InfraError(`Kafka exited during start-up. Last lines of ${logFile}:\n${lastLines(logFile, 30)}`);
    await sleep(250);
  }
  throw new InfraError(`Kafka was not ready within ${c.timeoutS}s (FINMESH_INFRA_TIMEOUT_S). It is still running as pid ${pid}; \`down\` stops it. Last lines of ${logFile}:\n${lastLines(logFile, 30)}`);
}

/** @param {Config} c */
async function upKafka(c) {
  const C = 'kafka';
  const existing = ourRunningPid(c, 'kafka');
  const state = await classifyKafkaPort(c);
  if (state === 'kafka') {
    const md = await kafkaMetadata(c).catch(() => undefined);
    const who = existing ? `started earlier by finmesh-infra, pid ${existing}` : 'not started by finmesh-infra, reused as is';
    console.log(`  ok   ${`[${C}]`.padEnd(11)} already running on ${c.kafkaHost}:${c.kafkaPort} (${who}${md ? `, cluster ${md.clusterId}` : ''}) - nothing to do`);
    return;
  }
  if (state === 'foreign' && !existing) {
    throw new InfraError(`port ${c.kafkaPort} on ${c.kafkaHost} is in use by something that is not Kafka. Stop it or set FINMESH_KAFKA_PORT to a free port.`);
  }
  const logFile = path.join(layout(c).logs, 'kafka.log');
  if (existing) {
    // Our broker is alive but not answering yet (still starting, or a previous `up` was interrupted).
    await step(C, `wait for the broker started earlier (pid ${existing})`, () => waitForKafka(c, existing, logFile));
    return;
  }
  if (!(await isPortFree(c.kafkaHost, c.kafkaControllerPort))) {
    throw new InfraError(`controller port ${c.kafkaControllerPort} on ${c.kafkaHost} is in use by another program. Stop it or set FINMESH_KAFKA_CONTROLLER_PORT to a free port.`);
  }
  const java = kafkaJava();
  await step(C, `install Kafka ${c.kafkaVersion}`, () => installKafka(c));
  await step(C, 'TLS certificates and SCRAM secrets', () => ensureKafkaSecrets(c));
  await step(C, 'format KRaft storage', () => formatKafka(c, java));
  const pid = await step(C, `start broker (Java ${java.major})`, async () => startKafka(c, java));
  await step(C, `ready on ${c.kafkaHost}:${c.kafkaPort}`, () => waitForKafka(c, pid, logFile));
}

// ---------------------------------------------------------------------------------------------
// Apicurio Registry
// ---------------------------------------------------------------------------------------------

/**
 * Registry settings as environment variables (Quarkus/SmallRye maps APICURIO_X_Y to apicurio.x.y).
 * Storage is PostgreSQL so schema ids survive restarts; the Confluent-compatible API then returns
 * the content id as `id`, which is stable and shared by equal schemas, like Confluent's.
 * @param {Config} c
 */
function registryEnv(c) {
  return {
    ...process.env,
    APICURIO_STORAGE_KIND: 'sql',
    APICURIO_STORAGE_SQL_KIND: 'postgresql',
    APICURIO_DATASOURCE_URL: `jdbc:postgresql://${c.pgHost}:${c.pgPort}/${REGISTRY_DB}`,
    // The registry's own role (infra/postgres/init.sql), never the administrator.
    APICURIO_DATASOURCE_USERNAME: 'finmesh_registry',
    // The JDBC driver insists on a password value; trust-auth servers ignore it.
    APICURIO_DATASOURCE_PASSWORD: process.env.FINMESH_DB_ROLE_PASSWORD || 'finmesh-dev',
    // Tests and tools clean up after themselves; the core v3 API refuses deletes by default (405).
    APICURIO_REST_DELETION_ARTIFACT_ENABLED: 'true',
    APICURIO_REST_DELETION_ARTIFACT_VERSION_ENABLED: 'true',
    APICURIO_REST_DELETION_GROUP_ENABLED: 'true',
  };
}

/**
 * Refuses to start an Apicurio older than the one that last wrote the registry database: every
 * release upgrades the tables forward (its DDL carries a db_version), none can go back. This
 * happens when a machine loses its Java 21 and falls back to 3.0.9.
 * @param {Config} c @param {string} version
 */
async function checkRegistryDbVersion(c, version) {
  const dir = path.join(layout(c).registryRoot, version);
  const jars = [
    ...(fs.existsSync(path.join(dir, 'app')) ? fs.readdirSync(path.join(dir, 'app')).map((f) => path.join(dir, 'app', f)) : []),
    ...fs.readdirSync(dir).filter((f) => f.endsWith('-runner.jar')).map((f) => path.join(dir, f)),
  ].filter((f) => f.endsWith('.jar'));
  let supported;
  for (const jar of jars) {
    const ddl = await run('unzip', ['-p', jar, 'io/apicurio/registry/storage/impl/sql/postgresql.ddl']);
    supported = /'db_version',\s*(\d+)/.exec(ddl.stdout)?.[1];
    if (supported) break;
  }
  if (!supported) return 'skipped (cannot read the DDL version; unzip missing?)';
  const hasTable = await psqlQuery(c, REGISTRY_DB, "SELECT to_regclass('public.apicurio') IS NOT NULL");
  if (hasTable !== 't') return `empty database, Apicurio creates db_version ${supported}`;
  const current = await psqlQuery(c, REGISTRY_DB, "SELECT propvalue FROM apicurio WHERE propname = 'db_version'");
  if (Number(current) > Number(supported)) {
    throw new InfraError(
      `database ${REGISTRY_DB} was written by a newer Apicurio (db_version ${current}); Apicurio ${version} only knows ${supported} and cannot use it. ` +
        `Install a JDK 21+ (or set FINMESH_REGISTRY_JAVA_HOME) to run ${APICURIO_VERSION_JAVA21} again, or drop the database ` +
        `(psql -h ${c.pgHost} -p ${c.pgPort} -U ${c.pgUser} -d postgres -c 'DROP DATABASE ${REGISTRY_DB}'; all registered schemas are lost, ids change).`,
    );
  }
  return `db_version ${current || '?'}, Apicurio ${version} supports ${supported}`;
}

/** @param {Config} c @param {{ java: JavaInstall, version: string, fallback: boolean }} rt */
function startRegistry(c, rt) {
  const l = layout(c);
  fs.mkdirSync(l.logs, { recursive: true });
  const dir = path.join(l.registryRoot, rt.version);
  const logFile = path.join(l.logs, 'registry.log');
  const args = [
    `-Xmx${c.registryHeap}`,
    `-Dquarkus.http.host=${c.registryHost}`,
    `-Dquarkus.http.port=${c.registryPort}`,
    // Health/metrics live on a separate management port in 3.1+; ignored by 3.0.x.
    `-Dquarkus.management.host=${c.registryHost}`,
    `-Dquarkus.management.port=${c.registryMgmtPort}`,
    ...markerArgs(c, 'registry'),
    '-jar',
    registryLaunchJar(dir),
  ];
  const pid = startDetached(rt.java.bin, args, { cwd: dir, env: registryEnv(c), logFile });
  writeRunRecord(c, 'registry', {
    pid,
    version: rt.version,
    java: rt.java.home,
    javaMajor: rt.java.major,
    startedAt: new Date().toISOString(),
    logFile,
    ...(rt.fallback ? { note: `fallback: Apicurio ${rt.version} because Java ${rt.java.major} < 21` } : {}),
  });
  return pid;
}

/**
 * Waits for health UP and a working ccompat API; fails early with a targeted hint when the JVM
 * is too old for the chosen Apicurio build.
 * @param {Config} c @param {number} pid @param {string} logFile
 */
async function waitForRegistry(c, pid, logFile) {
  const deadline = Date.now() + c.timeoutS * 1000;
  while (Date.now() < deadline) {
    if ((await registryReady(c)) && (await classifyRegistryPort(c)) === 'registry') {
      const info = await registryInfo(c);
      return `Apicurio ${info?.version ?? '?'} at ${ccompatUrl(c)}`;
    }
    if (!isAlive(pid)) {
      const tail = lastLines(logFile, 30);
      const hint = /UnsupportedClassVersionError/.test(tail)
        ? '\nThis Apicurio build needs a newer Java: set FINMESH_REGISTRY_JAVA_HOME to a JDK 21+, or FINMESH_APICURIO_VERSION=3.0.9 for Java 17.'
        : '';
      throw new InfraError(`the registry exited during start-up.${hint} Last lines of ${logFile}:\n${tail}`);
    }
    await sleep(300);
  }
  throw new InfraError(`the registry was not ready within ${c.timeoutS}s (FINMESH_INFRA_TIMEOUT_S). It is still running as pid ${pid}; \`down\` stops it. Last lines of ${logFile}:\n${lastLines(logFile, 30)}`);
}

/**
 * @param {Config} c
 * @param {Promise<unknown>} postgresReady registry storage must exist before the JVM connects
 */
async function upRegistry(c, postgresReady) {
  const C = 'registry';
  const existing = ourRunningPid(c, 'registry');
  const state = await classifyRegistryPort(c);
  if (state === 'registry') {
    const info = await registryInfo(c);
    const who = existing ? `started earlier by finmesh-infra, pid ${existing}` : 'not started by finmesh-infra, reused as is; its storage is not checked';
    console.log(`  ok   ${`[${C}]`.padEnd(11)} already running at ${ccompatUrl(c)} (Apicurio ${info?.version ?? '?'}, ${who}) - nothing to do`);
    return;
  }
  if (state === 'foreign' && !existing) {
    throw new InfraError(`port ${c.registryPort} on ${c.registryHost} is in use by something that is not a schema registry. Stop it or set FINMESH_REGISTRY_PORT to a free port.`);
  }
  const logFile = path.join(layout(c).logs, 'registry.log');
  if (existing) {
    await postgresReady;
    await step(C, `wait for the registry started earlier (pid ${existing})`, () => waitForRegistry(c, existing, logFile));
    return;
  }
  if (!(await isPortFree(c.registryHost, c.registryMgmtPort))) {
    throw new InfraError(`registry management port ${c.registryMgmtPort} on ${c.registryHost} is in use by another program. Stop it or set FINMESH_REGISTRY_MGMT_PORT to a free port.`);
  }
  const rt = chooseRegistryRuntime(c);
  if (rt.fallback) {
    const why = c.registryJavaHome ? `FINMESH_REGISTRY_JAVA_HOME is Java ${rt.java.version}` : `no Java 21+ found (best: Java ${rt.java.version} at ${rt.java.home})`;
    warn(`[${C}] ${why}; using Apicurio ${rt.version} instead of ${APICURIO_VERSION_JAVA21}, which needs Java 21+. Install a JDK 21+ or point FINMESH_REGISTRY_JAVA_HOME at one to get ${APICURIO_VERSION_JAVA21}.`);
  }
  await step(C, `install Apicurio Registry ${rt.version}`, () => installRegistry(c, rt.version));
  await postgresReady;
  await step(C, `check ${REGISTRY_DB} schema version`, () => checkRegistryDbVersion(c, rt.version));
  const pid = await step(C, `start registry (Java ${rt.java.major}, storage PostgreSQL ${REGISTRY_DB})`, async () => startRegistry(c, rt));
  await step(C, `ready on ${registryBaseUrl(c)}`, () => waitForRegistry(c, pid, logFile));
}

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

/** @param {Config} c */
async function cmdUp(c) {
  const started = Date.now();
  console.log(`finmesh infra up (home ${c.home})`);
  fs.mkdirSync(c.home, { recursive: true });
  const postgres = (async () => {
    await step('postgres', `server on ${c.pgHost}:${c.pgPort}`, () => ensurePostgres(c));
    await step('postgres', 'databases and schemas', () => ensureDatabases(c));
  })();
  // Kafka does not need PostgreSQL, so it starts right away; the registry waits for its database.
  const results = await Promise.allSettled([postgres, upKafka(c), upRegistry(c, postgres)]);
  const failures = results.filter((r) => r.status === 'rejected').map((r) => /** @type {PromiseRejectedResult} */ (r).reason);
  const unique = [...new Set(failures)];
  if (unique.length > 0) {
    console.error(`\nfinmesh infra up FAILED after ${fmtSeconds(Date.now() - started)}:`);
    for (const err of unique) console.error(`- ${err instanceof InfraError ? err.message : /** @type {Error} */ (err).stack}`);
    console.error('Fix the above and run `npm run infra:up` again (it only does what is missing).');
    console.error('Components that did start keep running; `npm run infra:down` stops them.');
    return 1;
  }
  console.log(`finmesh infra is up in ${fmtSeconds(Date.now() - started)}. Service settings:`);
  console.log(`  FINMESH_KAFKA_BROKERS=${c.kafkaHost}:${c.kafkaPort}  (SASL_SSL, SCRAM-SHA-512)`);
  console.log(`  FINMESH_KAFKA_CA_FILE=${kafkaSecrets(c).caPem}`);
  console.log(`  FINMESH_KAFKA_USERNAME=finmesh-<service>, FINMESH_KAFKA_PASSWORD_FILE=${kafkaSecrets(c).secretsDir}/<principal>.password  (the defaults)`);
  console.log(`  FINMESH_REGISTRY_URL=${ccompatUrl(c)}`);
  console.log(`  FINMESH_DB_URL=postgres://finmesh_<service>@${c.pgHost}:${c.pgPort}/${APP_DB}  (each service its own role, the default; e.g. finmesh_po_sync)`);
  return 0;
}

/**
 * Stops one component: SIGTERM, wait for a clean shutdown (Kafka flushes and closes its logs),
 * then SIGKILL. Only processes proven ours by their command-line markers are signalled.
 * @param {Config} c @param {'kafka' | 'registry'} component @param {number} graceMs
 */
async function stopComponent(c, component, graceMs) {
  const rec = readRunRecord(c, component);
  const pids = new Set(findOurProcesses(c, component));
  if (rec && isOurProcess(c, component, rec.pid)) pids.add(rec.pid);
  if (pids.size === 0) {
    removeRunRecord(c, component);
    return rec ? 'was not running (stale pid file removed)' : 'not running';
  }
  for (const pid of pids) process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && [...pids].some(isAlive)) await sleep(200);
  const killed = [...pids].filter(isAlive);
  for (const pid of killed) process.kill(pid, 'SIGKILL');
  removeRunRecord(c, component);
  return `stopped pid ${[...pids].join(', ')}${killed.length ? ` (SIGKILL after ${graceMs / 1000}s)` : ''}`;
}

/** @param {Config} c */
async function cmdDown(c) {
  const started = Date.now();
  console.log(`finmesh infra down (home ${c.home})`);
  await Promise.all([
    step('registry', 'stop', () => stopComponent(c, 'registry', 20_000)),
    step('kafka', 'stop', () => stopComponent(c, 'kafka', 30_000)),
  ]);
  console.log(`  --   [postgres]  left running (it is the machine's server)`);
  console.log(`finmesh infra is down in ${fmtSeconds(Date.now() - started)}.`);
  return 0;
}

/** @param {Config} c */
async function kafkaStatus(c) {
  const rec = readRunRecord(c, 'kafka');
  const ours = rec && isOurProcess(c, 'kafka', rec.pid) ? rec : undefined;
  try {
    const md = await kafkaMetadata(c);
    const version = ours?.version ?? 'version unknown (not started by finmesh-infra)';
    const self = md.brokers[0];
    return {
      up: true,
      version: ours?.version,
      brokerId: self?.nodeId,
      controllerId: md.controllerId,
      clusterId: md.clusterId,
      pid: ours?.pid,
      detail: `Kafka ${version} KRaft at ${c.kafkaHost}:${c.kafkaPort}, broker id ${self?.nodeId}, controller ${md.controllerId}, cluster id ${md.clusterId}${ours ? `, pid ${ours.pid}, Java ${ours.javaMajor}` : ''}`,
    };
  } catch (err) {
    const code = /** @type {NodeJS.ErrnoException} */ (err).code;
    const why = code === 'ECONNREFUSED' ? 'not running' : `not answering as Kafka (${/** @type {Error} */ (err).message})`;
    return { up: false, detail: `${why} on ${c.kafkaHost}:${c.kafkaPort}${ours ? ` (pid ${ours.pid} alive: starting or stuck, see ${ours.logFile})` : ''}` };
  }
}

/** @param {Config} c */
async function registryStatus(c) {
  const rec = readRunRecord(c, 'registry');
  const ours = rec && isOurProcess(c, 'registry', rec.pid) ? rec : undefined;
  const [state, ready, info] = await Promise.all([classifyRegistryPort(c), registryReady(c), registryInfo(c)]);
  const up = state === 'registry' && ready;
  const runtime = ours ? `, pid ${ours.pid}, Java ${ours.javaMajor}${ours.note ? `; ${ours.note}` : ''}` : state === 'registry' ? ', not started by finmesh-infra' : '';
  return {
    up,
    version: info?.version,
    url: ccompatUrl(c),
    pid: ours?.pid,
    java: ours?.javaMajor,
    fallback: Boolean(ours?.note),
    detail: up
      ? `Apicurio Registry ${info?.version ?? '?'} at ${ccompatUrl(c)} (storage PostgreSQL ${REGISTRY_DB}${runtime})`
      : state === 'foreign'
        ? `port ${c.registryPort} answers but not as a schema registry`
        : `${state === 'registry' ? 'answering but not healthy' : 'not running'} at ${registryBaseUrl(c)}${ours ? ` (pid ${ours.pid} alive: starting or stuck, see ${ours.logFile})` : ''}`,
  };
}

/** @param {Config} c @param {boolean} json */
async function cmdStatus(c, json) {
  const [kafka, registry, postgres] = await Promise.all([kafkaStatus(c), registryStatus(c), postgresStatus(c)]);
  const allUp = kafka.up && registry.up && postgres.up;
  if (json) {
    console.log(JSON.stringify({ up: allUp, home: c.home, kafka, registry, postgres }, null, 2));
  } else {
    /** @param {string} name @param {{ up: boolean, detail: string }} s */
    const line = (name, s) => console.log(`${s.up ? 'UP  ' : 'DOWN'}  ${name.padEnd(9)} ${s.detail}`);
    line('kafka', kafka);
    line('registry', registry);
    line('postgres', postgres);
    if (!allUp) console.log('Not everything is up: run `npm run infra:up`.');
  }
  return allUp ? 0 : 1;
}

const USAGE = `usage: node infra/finmesh-infra.mjs <up|down|status [--json]>
  up      start PostgreSQL databases, Kafka (KRaft) and Apicurio Registry; no-op for what already runs
  down    stop Kafka and the registry started by this script (PostgreSQL keeps running)
  status  one line per component; --json for machine-readable output; exit 0 only if all are up
Settings: FINMESH_* environment variables, see infra/README.md.`;

/** @param {string[]} argv @returns {Promise<number>} */
async function main(argv) {
  const [command, ...rest] = argv;
  const known = { up: [], down: [], status: ['--json'] };
  if (!command || !(command in known)) {
    console.error(command ? `unknown command "${command}"\n${USAGE}` : USAGE);
    return 1;
  }
  const allowed = known[/** @type {keyof typeof known} */ (command)];
  const bad = rest.filter((a) => !(/** @type {string[]} */ (allowed)).includes(a));
  if (bad.length) {
    console.error(`unknown option(s) for ${command}: ${bad.join(' ')}\n${USAGE}`);
    return 1;
  }
  const { config, problems } = loadConfig(process.env);
  if (problems.length) {
    console.error(`finmesh infra: invalid settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    return 1;
  }
  if (command === 'up') return cmdUp(config);
  if (command === 'down') return cmdDown(config);
  return cmdStatus(config, rest.includes('--json'));
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`finmesh infra: ${err instanceof InfraError ? err.message : err?.stack ?? err}`);
    process.exit(1);
  },
);
