/**
 * The subcommands. Each module exports `register(program)`; add one line here per command.
 */
import type { Command } from 'commander';

export type RegisterCommand = (program: Command) => void;

export const COMMANDS: RegisterCommand[] = [];
