// The CLI's configuration: .rust-readiness.json from the current directory (or
// --config FILE), then --exclude globs on top. The same file the editor reads,
// so CI and the editor agree. A malformed file stops the run with exit 2.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE_NAME, ConfigError, mergeConfig, parseConfigFile, type Config } from '../engine/config';
import { UsageError } from './args';

export class CliIoError extends Error {}

export function loadConfig(cwd: string, configFile: string | undefined, exclude: readonly string[], ruleIds: ReadonlySet<string>): Config {
  const file = configFile !== undefined ? path.resolve(cwd, configFile) : path.join(cwd, CONFIG_FILE_NAME);
  const display = configFile ?? CONFIG_FILE_NAME;
  let text: string | undefined;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // Only an explicitly named file must exist.
    if (configFile === undefined && code === 'ENOENT') text = undefined;
    else if (code === 'ENOENT') throw new UsageError(`config file ${display} does not exist`);
    else throw new CliIoError(`cannot read config file ${display}: ${code ?? (e as Error).message}`);
  }
  let fromFile;
  try {
    fromFile = text === undefined ? undefined : parseConfigFile(text, display, ruleIds);
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(e.message);
    throw e;
  }
  return mergeConfig(fromFile, { exclude: [...exclude] });
}
