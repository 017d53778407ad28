import { Command } from 'commander';

/** `upcert setup` (what `npm test` runs first); the finders and installers are loaded when it runs. */
export function setupCommand(): Command {
  return new Command('setup')
    .description(
      'get what the certification run and the tests need: pg_dump 15, a browser, helm and kubectl, the platform bundles',
    )
    .action(async () => {
      const { setup } = await import('./setup.ts');
      await setup();
    });
}
