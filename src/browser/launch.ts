import { type Browser, chromium } from 'playwright-core';
import { StepFailedError } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import { chromiumArgs, ensureBrowser } from './find-browser.ts';

const log = createLogger('browser');

/** Launches headless Chromium (found by `ensureBrowser`: configured path, Playwright's, Debian's) within the deadline. */
export async function launchChromium(opts: {
  executablePath?: string;
  timeoutMs: number;
  /**
   * `--host-resolver-rules="MAP <host> <ip>, ..."`: names this machine's resolver does not know (kind's public
   * names) resolve to the given address inside this browser only; the port stays the URL's.
   */
  hostResolverRules?: string;
}): Promise<Browser> {
  const found = await ensureBrowser(opts.executablePath);
  const started = Date.now();
  try {
    const browser = await chromium.launch({
      executablePath: found.executablePath,
      args: opts.hostResolverRules
        ? [...chromiumArgs, `--host-resolver-rules=${opts.hostResolverRules}`]
        : chromiumArgs,
      timeout: opts.timeoutMs,
      // Playwright's own SIGINT/SIGTERM/SIGHUP handlers close the browser and then call process.exit(130)
      // from inside the run (vitest reports "process.exit unexpectedly called", and our teardown is cut
      // short). The run's teardown closes the browser itself on every signal.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    log.info(`launched ${found.executablePath} (${found.source}, ${browser.version()}) in ${Date.now() - started} ms`);
    return browser;
  } catch (error) {
    const first = ((error as Error).message.split('\n')[0] ?? '').trim();
    throw new StepFailedError(`launch browser: ${found.executablePath} (${found.source}): ${first}`, { cause: error });
  }
}
