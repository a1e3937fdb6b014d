/**
 * The subcommands. Each module exports `register(program)`; add one line here per command.
 */
import type { Command } from 'commander';
import { register as splits } from './splits';
import { register as convert } from './convert';
import { register as info } from './info';
import { register as leakage } from './leakage';
import { register as check } from './check';
import { register as synth } from './synth';
import { register as log } from './log';
import { register as evaluate } from './evaluate';
import { register as results } from './results';
import { register as plan } from './plan';

export type RegisterCommand = (program: Command) => void;

export const COMMANDS: RegisterCommand[] = [splits, convert, info, leakage, check, synth, log, plan, evaluate, results];
