import { Command } from 'commander';

/** `upcert report`: its arguments; Allure and the timeline writer are loaded when the command runs. */
export function reportCommand(): Command {
  return new Command('report')
    .description("turn a run's allure-results into an Allure HTML report and redraw its timeline.html")
    .argument('[run-dir]', "the run's report directory (default: <reportDir>/latest)")
    .option('--config <file>', 'configuration file (for reportDir; default: upcert.config.yaml when present)')
    .action(async (runDir: string | undefined, flags: { config?: string }) => {
      const { report } = await import('./report.ts');
      const result = await report(runDir, flags);
      process.stdout.write(
        [`allure report: ${result.allure}`, ...(result.timeline ? [`timeline:      ${result.timeline}`] : []), ''].join(
          '\n',
        ),
      );
    });
}
