/**
 * Two kinds of address that must never be mixed up (issue 12, blocker 2). A **harness URL** is where upcert,
 * on the machine it runs on, reaches a service (`http://127.0.0.1:30080` through a kind NodePort, a local
 * front door, a port-forward). A **platform URL** is where the platform's own processes reach it
 * (`http://provider-mock.<namespace>.svc.cluster.local` in a pod). Giving a gateway pod a harness URL makes it
 * call its own loopback. Both are strings at run time; the brands make the compiler refuse one where the
 * other is wanted, and a plain string where either is (construct them with the functions below).
 */
declare const harnessBrand: unique symbol;
declare const platformBrand: unique symbol;

export type HarnessUrl = string & { readonly [harnessBrand]: 'harness' };
export type PlatformUrl = string & { readonly [platformBrand]: 'platform' };

/** An address the harness reaches from its own machine. */
export function harnessUrl(url: string): HarnessUrl {
  return url as HarnessUrl;
}

/** An address the platform's processes reach (what seeded configuration may point them at). */
export function platformUrl(url: string): PlatformUrl {
  return url as PlatformUrl;
}
