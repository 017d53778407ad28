import { BadInputError } from './errors.ts';

/**
 * A CPU quantity as Kubernetes writes it: `500m`, `0.5`, `2`, or a number. Null (no request) stays null.
 * Anything else is bad input naming `field` (`<action>: <field>: ...`).
 */
export function parseCpuQuantity(value: unknown, field: string, action = 'resolve values'): number | null {
  if (value === null || value === undefined) return null;
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const match = /^(\d+(?:\.\d+)?)(m?)$/.exec(text);
  if (!match) {
    throw new BadInputError(`${action}: ${field}: "${String(value)}" is not a CPU quantity (e.g. 500m, 0.5, 1)`, {
      field,
    });
  }
  const amount = Number(match[1]);
  return Math.round(match[2] === 'm' ? amount : amount * 1000);
}
