import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';

/**
 * A credential value that cannot leak by accident: it prints, serialises and inspects as
 * `[secret]`, so a config object that reaches a log line, an error or a JSON answer shows no
 * password, client secret or token. Only the code that builds an Authorization header reveals it.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[secret]';
  }

  toJSON(): string {
    return '[secret]';
  }

  [inspect.custom](): string {
    return '[secret]';
  }
}

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Reads a secret named `name` from the environment: either the variable itself or, for secrets
 * mounted as files (Kubernetes/Docker secrets), `${name}_FILE` naming the file. Setting both is a
 * mistake (which one wins?) and is refused. Returns a problem (never the value) when it is bad.
 */
export function readSecret(env: Environment, name: string): { secret?: Secret; problem?: string } {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  if (direct && file) return { problem: `${name}: set either ${name} or ${name}_FILE, not both` };
  if (direct) return { secret: new Secret(direct) };
  if (!file) return {};
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (err) {
    return { problem: `${name}_FILE: cannot read '${file}' (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  // Secret files usually end with a newline that is not part of the secret.
  const value = content.replace(/\r?\n$/, '');
  if (value.length === 0) return { problem: `${name}_FILE: '${file}' is empty` };
  return { secret: new Secret(value) };
}
