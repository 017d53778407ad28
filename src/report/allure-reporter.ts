import AllureVitestReporter from 'allure-vitest/reporter';
import type { TestModule, Vitest } from 'vitest/node';
import type { Reporter } from 'vitest/reporters';
import { createLogger } from '../common/logger.ts';
import { type AllureMessage, checkMessages, checkTestName, readCertificate } from './allure-checks.ts';

const log = createLogger('allure');

/** allure-vitest reads a test's runtime messages from this key of the test's meta when the run ends. */
const messagesKey = 'allureRuntimeMessages';

/**
 * allure-vitest as a reporter of the certification run, writing `<runDir>/allure-results/`. Before it writes, each
 * check's test gets the check's phase, id, summary, evidence and screenshots from the run's certificate.json
 * (written by the suites' last hook), so that the Allure report carries what the certificate says.
 */
export class CertificationAllureReporter implements Reporter {
  readonly #allure: AllureVitestReporter;

  constructor(
    private readonly runDir: string,
    environment: Record<string, string>,
  ) {
    this.#allure = new AllureVitestReporter({ resultsDir: `${runDir}/allure-results`, environmentInfo: environment });
  }

  onInit(vitest: Vitest): void {
    this.#allure.onInit(vitest);
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    try {
      this.#describeChecks(modules);
    } catch (error) {
      log.warn(`could not add the checks' evidence to the Allure results: ${(error as Error).message}`);
    }
    this.#allure.onTestRunEnd(modules);
  }

  #describeChecks(modules: ReadonlyArray<TestModule>): void {
    const certificate = readCertificate(this.runDir);
    if (!certificate) return;
    const byName = new Map(certificate.checks.map((c) => [checkTestName(c), c]));
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        const check = byName.get(test.name);
        if (!check) continue;
        const meta = test.meta() as Record<string, unknown>;
        const messages = (meta[messagesKey] ?? []) as AllureMessage[];
        meta[messagesKey] = [...messages, ...checkMessages(check, certificate, this.runDir)];
      }
    }
  }
}
