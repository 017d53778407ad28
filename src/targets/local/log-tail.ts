import { open } from 'node:fs/promises';

/** The last `lines` lines of a log file (reads at most the last 64 KiB); '' when it does not exist. */
export async function logTail(file: string, lines = 20): Promise<string> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(file, 'r');
    const { size } = await handle.stat();
    const length = Math.min(size, 64 * 1024);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return buffer.toString('utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  } finally {
    await handle?.close();
  }
}
