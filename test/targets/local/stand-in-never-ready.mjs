// STAND-IN variant (see stand-in-component.mjs): never ready.
globalThis.STAND_IN_VARIANT = 'never-ready';
await import('./stand-in-component.mjs');
