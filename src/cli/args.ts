/** Minimal, strict argument parser: --flag value, --flag=value, boolean flags, positionals. */
export class UsageError extends Error {
  readonly exitCode = 2;
}

export interface ParsedArgs {
  flags: Map<string, string | true>;
  positionals: string[];
}

export function parseArgs(argv: string[], spec: { values: string[]; booleans: string[] }): ParsedArgs {
  const flags = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--')) {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq === -1 ? undefined : eq);
    if (spec.booleans.includes(name)) {
      if (eq !== -1) throw new UsageError(`--${name} 不需要值 / --${name} takes no value`);
      flags.set(name, true);
    } else if (spec.values.includes(name)) {
      const value = eq === -1 ? argv[++i] : a.slice(eq + 1);
      if (value === undefined || (eq === -1 && value.startsWith('--')))
        throw new UsageError(`--${name} 需要一个值 / --${name} needs a value`);
      flags.set(name, value);
    } else {
      throw new UsageError(`未知选项 --${name} / unknown option --${name}`);
    }
  }
  return { flags, positionals };
}

export function requireFlag(args: ParsedArgs, name: string): string {
  const v = args.flags.get(name);
  if (typeof v !== 'string' || v === '') throw new UsageError(`缺少 --${name} / --${name} is required`);
  return v;
}

export function optionalFlag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

/**
 * A flag that takes one of `choices` (undefined when not given): any other value is a usage error
 * (exit 2) naming them, before the command does anything.
 */
export function choiceFlag<C extends string>(
  args: ParsedArgs,
  name: string,
  choices: readonly C[],
): C | undefined {
  const v = optionalFlag(args, name);
  if (v === undefined || (choices as readonly string[]).includes(v)) return v as C | undefined;
  throw new UsageError(
    `--${name} 只能是 ${choices.join('、')}，收到 "${v}" / --${name} must be one of ${choices.join(', ')}, got "${v}"`,
  );
}

/**
 * Whether `--format json` was asked for (no --format, or `text`: the lines for people). Any other
 * value is refused before the command does anything.
 */
export function wantsJson(args: ParsedArgs): boolean {
  const format = optionalFlag(args, 'format');
  if (format !== undefined && format !== 'json' && format !== 'text')
    throw new UsageError('--format 只能是 json（或 text） / --format must be json (or text)');
  return format === 'json';
}
