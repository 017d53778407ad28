#!/usr/bin/env node
// Entry point of the `upcert` command: runs the CLI from its bundle (bin/cli-bundle.js, rebuilt when src/
// changes), or the TypeScript sources through tsx when no bundle can be had.
import { cliEntry } from './cli-bundle.js';

const entry = await cliEntry();
if (entry) {
  await import(entry);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
