/**
 * Flags shared by the bench scripts: `--name value`, `--name=value`; booleans as `--name`, `--no-name`
 * or `--name=false`. Numbers where the default is a number. Unknown flags are an error.
 */
export function flags<T extends Record<string, string | number | boolean>>(defaults: T, argv = process.argv.slice(2)): T {
  const result: Record<string, string | number | boolean> = { ...defaults };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    let [name, value] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    let negated = false;
    if (!(name in defaults) && name.startsWith('no-') && typeof defaults[name.slice(3)] === 'boolean') {
      name = name.slice(3);
      negated = true;
    }
    if (!(name in defaults))
      throw new Error(
        `unknown flag --${name} (known: ${Object.keys(defaults)
          .map((key) => `--${key}`)
          .join(', ')})`,
      );
    const fallback = defaults[name];
    if (typeof fallback === 'boolean') {
      result[name] = negated ? false : value === undefined ? true : value !== 'false';
      continue;
    }
    if (value === undefined) value = argv[++index];
    if (value === undefined) throw new Error(`--${name} needs a value`);
    if (typeof fallback === 'number') {
      const number = Number(value);
      if (!Number.isFinite(number)) throw new Error(`--${name} must be a number, got ${value}`);
      result[name] = number;
    } else result[name] = value;
  }
  return result as T;
}

/** The command line that ran this script, for BENCHMARKS.md. */
export function commandLine(script: string): string {
  const args = process.argv.slice(2).join(' ');
  return `npx tsx ${script}${args ? ` ${args}` : ''}`;
}
