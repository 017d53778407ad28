import type { Page, Request } from 'playwright-core';

/** `origin + path` of a URL: no query string or fragment (authorization codes and state stay out of reports). */
export function withoutQuery(url: string): string {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:'
      ? `${u.origin}${u.pathname}`
      : `${u.protocol}${u.pathname}`;
  } catch {
    return url.split(/[?#]/)[0] ?? url;
  }
}

/** A navigation of the main frame failed for good (not superseded by another one). */
export class NavigationFailedError extends Error {
  override name = 'NavigationFailedError';
}

export interface NavigationHop {
  url: string;
  /** this request is a redirect of the one before it. */
  redirect: boolean;
}

/**
 * Records a page's main-frame navigations (redirect hops included) and their failures, so that a visit can
 * say where it was sent and stop at once when Chromium gives up (`net::ERR_TOO_MANY_REDIRECTS`).
 */
export class NavigationTrace {
  readonly hops: NavigationHop[] = [];
  /** status of the last main-frame document response. */
  status: number | null = null;
  failure: string | null = null;
  private readonly waiters: ((error: string) => void)[] = [];

  constructor(private readonly page: Page) {
    page.on('request', (r) => {
      if (this.isMainNavigation(r))
        this.hops.push({ url: withoutQuery(r.url()), redirect: r.redirectedFrom() !== null });
    });
    page.on('response', (r) => {
      if (this.isMainNavigation(r.request())) this.status = r.status();
    });
    page.on('requestfailed', (r) => {
      const error = r.failure()?.errorText ?? 'failed';
      if (!this.isMainNavigation(r) || /ERR_ABORTED/.test(error)) return;
      this.failure = error;
      for (const w of this.waiters.splice(0)) w(error);
    });
  }

  private isMainNavigation(r: Request): boolean {
    try {
      return r.isNavigationRequest() && r.frame() === this.page.mainFrame();
    } catch {
      return false;
    }
  }

  /** Where the visit's first request was redirected; null when it was answered directly. */
  firstRedirect(): string | null {
    const second = this.hops[1];
    return second?.redirect ? second.url : null;
  }

  /** Rejects with NavigationFailedError when a main-frame navigation fails; never settles otherwise. */
  failed(): Promise<never> {
    return new Promise((_, reject) => {
      const fail = (error: string) => reject(new NavigationFailedError(error));
      if (this.failure) fail(this.failure);
      else this.waiters.push(fail);
    });
  }

  /** Waits for `wait`, stopping early when a navigation fails; the loser's rejection is absorbed. */
  race<T>(wait: Promise<T>): Promise<T> {
    const failed = this.failed();
    failed.catch(() => undefined);
    wait.catch(() => undefined);
    return Promise.race([wait, failed]);
  }
}
