// Dispatches a command line and turns every failure into one line on stderr and
// an exit code: 2 for usage and I/O errors, never a stack trace.
import { parseCommandLine, UsageError } from './args';
import { CliIoError } from './config';
import { runFix } from './fix';
import { runReport } from './report';
import { runScan, toolVersion } from './scan';

export interface Io {
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  try {
    const command = parseCommandLine(argv);
    switch (command.command) {
      case 'help':
        io.stdout(command.text);
        return 0;
      case 'version':
        io.stdout(toolVersion() + '\n');
        return 0;
      case 'scan':
        return await runScan(command, io);
      case 'fix':
        return await runFix(command, io);
      case 'report':
        return await runReport(command.args, io);
    }
  } catch (e) {
    io.stderr(`rust-readiness: ${errorMessage(e)}\n`);
    if (e instanceof UsageError) io.stderr(`Run 'rust-readiness --help' for usage.\n`);
    return 2;
  }
}

function errorMessage(e: unknown): string {
  if (e instanceof UsageError || e instanceof CliIoError) return e.message;
  // Anything else is unexpected: still one line, with the error's own message.
  return `error: ${e instanceof Error ? e.message : String(e)}`;
}
