// STAND-IN variant (see stand-in-component.mjs): the first process of each replica exits 1 before
// listening (a marker file next to the config remembers it); its restart runs normally.
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const marker = path.join(path.dirname(process.env.PLATFORM_CONFIG), `crashed-${process.env.REPLICA_ID}`);
if (!existsSync(marker)) {
  writeFileSync(marker, 'crashed once\n');
  process.stderr.write('stand-in: crashing on purpose\n');
  process.exit(1);
}
await import('./stand-in-component.mjs');
