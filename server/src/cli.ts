// The terminal adapter over the engine: `rust-readiness scan|fix`. Bundled to
// dist/cli.js (the package.json bin) with a node shebang; the pieces are in ./cli/.
import { main } from './cli/main';

main(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then((code) => {
  // Set, not exit(): let stdout drain first when it is a pipe.
  process.exitCode = code;
});

// `rust-readiness scan | head` closes the pipe early: stop quietly, not with a stack.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
