/** One series of a Prometheus text exposition: `name{label="value",…} value`. */
export interface ExposedSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses the text format (0.0.4) into samples; comments (# HELP, # TYPE) are skipped. */
export function parseExposition(text: string): ExposedSample[] {
  const samples: ExposedSample[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = SAMPLE.exec(line.trim());
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

/**
 * Sum of the values of `name`'s series whose labels include `labels` (e.g. every topic of one
 * outcome); 0 when there is none, so "before" of a counter never seen is 0.
 */
export function exposedValue(text: string | readonly ExposedSample[], name: string, labels: Readonly<Record<string, string>> = {}): number {
  const samples = typeof text === 'string' ? parseExposition(text) : text;
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

/** Whether any series of `name` (with `labels`) is exposed at all. */
export function isExposed(text: string, name: string, labels: Readonly<Record<string, string>> = {}): boolean {
  return parseExposition(text).some((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** GET <serviceUrl>/metrics as text; fails on a non-200 answer. */
export async function scrapeMetrics(serviceUrl: string): Promise<string> {
  const res = await fetch(`${serviceUrl}/metrics`);
  if (!res.ok) throw new Error(`GET ${serviceUrl}/metrics answered ${res.status}`);
  return res.text();
}
