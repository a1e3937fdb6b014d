#!/usr/bin/env node
/**
 * `bratslab`: the labs' checks on the command line, for datasets and logs that sit on a server.
 * Each subcommand lives in commands/<name>.ts and registers itself through COMMANDS below.
 */
import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands/index';

declare const __BRATSLAB_VERSION__: string;

export function buildProgram(): Command {
  const program = new Command()
    .name('bratslab')
    .description('BraTS Lab: check nnU-Net datasets and training logs, generate synthetic BraTS cases, convert BraTS to nnU-Net.')
    .version(typeof __BRATSLAB_VERSION__ === 'string' ? __BRATSLAB_VERSION__ : 'dev', '-V, --version')
    .showHelpAfterError()
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

/** Exit codes: 0 no errors found, 1 errors found, 2 usage error or unreadable input. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2;
    }
    process.stderr.write(`bratslab: ${(e as Error).message}\n`);
    return 2;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
