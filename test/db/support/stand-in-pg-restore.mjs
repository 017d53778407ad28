#!/usr/bin/env node
// A stand-in for pg_restore (named so) that fails half-way: `-l` is answered by the real pg_restore (the table of
// contents is the dump's own); the script it writes creates a table, then it exits 1 as a pg_restore that hit a
// truncated dump does. What it wrote must not be committed.
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
if (args[0] === '-l') {
  const r = spawnSync(process.env.REAL_PG_RESTORE, args, { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
process.stdout.write('SET lock_timeout = 0;\nCREATE TABLE public.half_restored (id int);\n', () => {
  process.stderr.write('pg_restore: error: could not read from input file: end of file\n');
  process.exit(1);
});
