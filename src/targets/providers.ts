import { BadInputError } from '../common/errors.ts';
import { clusterProvider } from './cluster/provider.ts';
import { kindProvider } from './kind/provider.ts';
import { localProvider } from './local/provider.ts';
import type { TargetProvider } from './provider.ts';

const providers: readonly TargetProvider[] = [localProvider, kindProvider, clusterProvider];

/** The provider of the target a run asked for (`--target`). */
export function targetProvider(name: string): TargetProvider {
  const provider = providers.find((p) => p.name === name);
  if (!provider) {
    throw new BadInputError(`--target ${name}: not available in this version of upcert (use --target local)`, {
      field: '--target',
    });
  }
  return provider;
}
