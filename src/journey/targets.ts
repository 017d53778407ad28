import { BadInputError } from '../config/errors.ts';
import { createLogger } from '../report/logger.ts';
import { LocalTarget } from '../targets/local/index.ts';
import type { Target } from '../targets/target.ts';
import type { RunState } from './run-state.ts';

/** The target a run asked for, configured from the run's configuration. */
export function targetFor(run: RunState): Target {
  const { config } = run;
  switch (config.target) {
    case 'local':
      return new LocalTarget({
        highAvailability: config.local.highAvailability,
        endpointPropagationMs: config.local.endpointPropagationMs,
        valuesFiles: config.valuesFiles,
        clock: run.clock,
        log: createLogger('local'),
        timeouts: {
          installSeconds: config.timeouts.installSeconds,
          progressDeadlineSeconds: config.timeouts.progressDeadlineSeconds,
        },
      });
    default:
      throw new BadInputError(
        `--target ${config.target}: not available in this version of upcert (use --target local)`,
        {
          field: '--target',
        },
      );
  }
}
