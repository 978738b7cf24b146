/**
 * CLI flags from the run-config schema: every RunConfig field is a flag of the same name
 * (`--C 8`, `--image-size 16`, `--arch-lr 3e-3`, `--augment` / `--augment false`), plus
 * command-specific extras. Unknown flags and bad values exit non-zero naming the flag.
 */
import { DEFAULT_CONFIG, FIELDS, fieldByFlag, parseFieldValue, type RunConfig } from '../core/config';
import { ConfigError } from '../core/spaces';

export interface ExtraFlag {
  flag: string;
  help: string;
  kind: 'string' | 'bool' | 'int' | 'number';
  default?: string | number | boolean;
}

export interface Parsed {
  cfg: Partial<RunConfig>;
  extra: Record<string, string | number | boolean>;
  help: boolean;
  positional: string[];
}

export class UsageError extends Error {}

export function parseArgs(argv: string[], extras: ExtraFlag[] = []): Parsed {
  const cfg: Partial<RunConfig> = {};
  const extra: Record<string, string | number | boolean> = {};
  for (const e of extras) if (e.default !== undefined) extra[e.flag] = e.default;
  const positional: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      help = true;
      continue;
    }
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    let [name, value] = a.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const field = fieldByFlag(name);
    const ex = extras.find((e) => e.flag === name);
    if (!field && !ex) throw new UsageError(`unknown flag --${name} (see --help)`);
    const isBool = field ? field.kind === 'bool' : ex!.kind === 'bool';
    if (value === undefined) {
      const next = argv[i + 1];
      if (isBool && (next === undefined || next.startsWith('--') || !/^(true|false|1|0|yes|no|on|off)$/.test(next))) value = 'true';
      else if (next === undefined) throw new UsageError(`flag --${name} needs a value`);
      else value = argv[++i];
    }
    try {
      if (field) (cfg as Record<string, unknown>)[field.key] = parseFieldValue(field, value);
      else extra[name] = parseExtra(ex!, value);
    } catch (e) {
      throw new UsageError(`--${name}: ${(e as Error).message.replace(/^[a-zA-Z0-9]+: /, '')}`);
    }
  }
  return { cfg, extra, help, positional };
}

function parseExtra(e: ExtraFlag, v: string): string | number | boolean {
  if (e.kind === 'string') return v;
  if (e.kind === 'bool') {
    if (/^(true|1|yes|on)$/.test(v)) return true;
    if (/^(false|0|no|off)$/.test(v)) return false;
    throw new Error(`expected true or false, got '${v}'`);
  }
  const n = Number(v);
  if (!Number.isFinite(n) || (e.kind === 'int' && !Number.isInteger(n))) throw new Error(`expected ${e.kind === 'int' ? 'an integer' : 'a number'}, got '${v}'`);
  return n;
}

export function usage(cmd: string, summary: string, extras: ExtraFlag[] = [], defaults: Partial<RunConfig> = {}): string {
  const d = { ...DEFAULT_CONFIG, ...defaults };
  const rows = FIELDS.map((f) => {
    const def = d[f.key];
    const choices = f.choices ? ` (${f.choices.join('|')})` : '';
    return `  --${f.flag.padEnd(20)} ${f.help}${choices} [default: ${def === '' ? "''" : String(def)}]${f.hot ? ' (hot)' : ''}`;
  });
  const ex = extras.map((e) => `  --${e.flag.padEnd(20)} ${e.help}${e.default !== undefined ? ` [default: ${String(e.default)}]` : ''}`);
  return `${cmd}\n${summary}\n\nRun configuration:\n${rows.join('\n')}\n${ex.length ? `\nOther flags:\n${ex.join('\n')}\n` : ''}  --help                 this text\n`;
}

/** Prints a message for CLI errors and exits non-zero. */
export function fail(e: unknown): never {
  const msg = e instanceof UsageError || e instanceof ConfigError ? e.message : (e as Error)?.stack ?? String(e);
  process.stderr.write(`error: ${msg}\n`);
  process.exit(2);
}
