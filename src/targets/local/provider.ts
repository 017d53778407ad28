import { createLogger } from '../../common/logger.ts';
import type { TargetProvider } from '../provider.ts';
import { frontDoorPortMustBeFree } from './front-door.ts';

/** The local target: every replica an OS process; it offers every feature the checks need. */
export const localProvider: TargetProvider = {
  name: 'local',
  digestKind: 'artifact',
  keepServesInForeground: true,
  unsupported: () => ({}),
  async preflight(config) {
    for (const [service, port] of Object.entries(config.local.ports)) {
      if (port !== undefined) await frontDoorPortMustBeFree(service, port, `local.ports.${service}`);
    }
  },
  async create(config, ctx) {
    const { LocalTarget } = await import('./local-target.ts');
    const { loadPlatform } = await import('../../platform/profile.ts');
    return new LocalTarget({
      profile: loadPlatform(config.platform),
      prepare: [ctx.to],
      highAvailability: config.local.highAvailability,
      endpointPropagationMs: config.local.endpointPropagationMs,
      ports: config.local.ports,
      valuesFiles: config.valuesFiles,
      clock: ctx.clock,
      onEvent: ctx.onEvent,
      log: createLogger('local'),
      timeouts: {
        installSeconds: config.timeouts.installSeconds,
        progressDeadlineSeconds: config.timeouts.progressDeadlineSeconds,
      },
    });
  },
};
