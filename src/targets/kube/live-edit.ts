import { setDotted } from '../../common/dotted-path.ts';

/** The ConfigMap holding a component's rendered configuration (chart: `<component>-config`, key `config.json`). */
export const configMapOf = (component: string) => `${component}-config`;
export const configKey = 'config.json';

/** `config.json` with one existing setting changed (a hand edit); an unknown path is bad input. */
export function editedConfigJson(text: string, component: string, dotted: string, value: unknown): string {
  const config = JSON.parse(text) as Record<string, unknown>;
  setDotted(config, dotted, value, component);
  return `${JSON.stringify(config, null, 2)}\n`;
}
