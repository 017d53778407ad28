/**
 * A parent that goes away first (npx, an npm script, a CI runner hit by SIGTERM) closes our stdout and stderr:
 * writing to them then fails with EPIPE. The run must still stop its platform and write its report, so a closed
 * pipe is ignored rather than crashing the process halfway through its cleanup.
 */
export function ignoreClosedPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
    });
  }
}
