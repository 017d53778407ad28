// STAND-IN variant (see stand-in-component.mjs): ignores SIGTERM.
globalThis.STAND_IN_VARIANT = 'stubborn';
await import('./stand-in-component.mjs');
