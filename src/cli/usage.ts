import type { Command } from 'commander';

/** `usage: upcert certify [options] (upcert certify --help lists them)`: what a usage error ends with. */
export function usageLine(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at; at = at.parent) names.unshift(at.name());
  const path = names.join(' ');
  return `usage: ${path} ${command.usage()} (\`${path} --help\` for more)`;
}
