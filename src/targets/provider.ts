import type { EventSink } from '../common/rollout-event.ts';
import type { Clock } from '../common/timeline.ts';
import type { UpcertConfig } from '../config/schema.ts';
import type { UnsupportedFeatures } from '../platform/features.ts';
import type { AnyRelease, LoadedRelease } from '../release/catalog.ts';
import type { HarnessFaultSink } from '../report/harness-fault.ts';
import type { DigestKind, Target } from './target.ts';

/** What a run hands a provider to configure its target. */
export interface TargetContext {
  runId: string;
  reportDir: string;
  clock: Clock;
  /** The release the run upgrades to (a target may prepare it before the measured window: kind loads its images). */
  to: AnyRelease;
  /** Where the target reports a fault of the harness itself (a lost tunnel): the verdict becomes inconclusive. */
  harnessFault: HarnessFaultSink;
  /** Hears every event of the platform's whole life, not only a rollout's (component health, faults named). */
  onEvent?: EventSink;
}

/**
 * A target provider (kubernetes-sigs/e2e-framework's cluster provider): everything the journey and the CLI
 * know of a target, so that neither ever asks which target it runs on. Declarations are static (known before
 * anything starts); `create` loads the target's own modules only when a run needs them.
 */
export interface TargetProvider {
  readonly name: UpcertConfig['target'];
  /** How the target identifies what runs (the digest a replica must report). */
  readonly digestKind: DigestKind;
  /** `--keep`: the run itself keeps the platform serving until Ctrl-C (its processes die with it), rather than leaving it running on its own. */
  readonly keepServesInForeground: boolean;
  /** The features this target cannot offer, with the reason (checks that need them are not-supported). */
  unsupported(config: UpcertConfig): UnsupportedFeatures;
  /** What can be known wrong before anything starts: bad input (exit 2), a missing tool (exit 3). */
  preflight(config: UpcertConfig, releases: readonly LoadedRelease[], pathVar: string | undefined): Promise<void>;
  create(config: UpcertConfig, ctx: TargetContext): Promise<Target>;
}
