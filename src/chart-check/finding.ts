/** One broken promise of the chart: which rule, which resource, which field, and what is wrong. */
export interface Finding {
  rule: string;
  /** `Deployment/gateway`, `PodDisruptionBudget/console`, or `values` for a value-level finding. */
  resource: string;
  /** Dotted path inside the resource, e.g. `spec.strategy.rollingUpdate.maxUnavailable`. */
  field: string;
  message: string;
}

/** One line per finding: `<rule>  <resource>  <field>: <message>`. */
export function formatFinding(f: Finding): string {
  return `${f.rule}  ${f.resource}  ${f.field}: ${f.message}`;
}
