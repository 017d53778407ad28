import type { ChartContext, ChartRule } from './context.ts';
import type { Finding } from './finding.ts';
import { haAntiAffinity, haDisruptionBudget, haReplicas } from './rules-ha.ts';
import { imagesPinned } from './rules-images.ts';
import { cpuRequests } from './rules-resources.ts';
import {
  graceExceedsDrain,
  readinessGatedOnMigrations,
  readinessProbes,
  rollingUpdateKeepsCapacity,
} from './rules-rollout.ts';
import { podTemplateStable } from './rules-upgrade.ts';

/** Every chart rule, in report order: each holds the chart to one promise of the product's upgrade page. */
export const chartRules: readonly ChartRule[] = [
  imagesPinned,
  haReplicas,
  haDisruptionBudget,
  haAntiAffinity,
  readinessProbes,
  cpuRequests,
  graceExceedsDrain,
  rollingUpdateKeepsCapacity,
  readinessGatedOnMigrations,
  podTemplateStable,
];

export function runChartRules(ctx: ChartContext, rules: readonly ChartRule[] = chartRules): Finding[] {
  return rules.flatMap((r) => r.check(ctx));
}
