import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { redactText } from '../common/logger.ts';
import type { Certificate } from './certificate.ts';

/** The Allure runtime messages this harness sends (allure-js-commons' RuntimeMessage, the parts used here). */
export type AllureMessage =
  | {
      type: 'metadata';
      data: {
        labels?: { name: string; value: string }[];
        parameters?: { name: string; value: string }[];
        description?: string;
      };
    }
  | {
      type: 'attachment_content';
      data: { name: string; content: string; encoding: 'base64'; contentType: string; fileExtension?: string };
    }
  | { type: 'attachment_path'; data: { name: string; path: string; contentType: string } };

type Check = Certificate['checks'][number];

const imageTypes: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg' };

/** The name vitest gives a check's test (suites/certify.spec.ts through Certification.checks). */
export const checkTestName = (check: Pick<Check, 'id' | 'phase'>): string => `${check.id} (${check.phase})`;

/** Screenshots a check records in its evidence (`screenshots: string[]`, absolute or relative to the run's directory). */
export function screenshotsOf(check: Check, runDir: string): string[] {
  const list = check.evidence.screenshots;
  if (!Array.isArray(list)) return [];
  return list.filter((p): p is string => typeof p === 'string').map((p) => path.resolve(runDir, p));
}

/**
 * What Allure shows for one check: its phase and id as labels and parameters (group by phase, filter by check),
 * its verdict's summary as the description, its evidence as JSON, and its screenshots.
 */
export function checkMessages(check: Check, run: Pick<Certificate, 'from' | 'to'>, runDir: string): AllureMessage[] {
  const messages: AllureMessage[] = [
    {
      type: 'metadata',
      data: {
        labels: [
          { name: 'epic', value: `certify ${run.from} → ${run.to}` },
          { name: 'feature', value: check.phase },
          { name: 'story', value: check.id },
          { name: 'tag', value: check.phase },
          { name: 'phase', value: check.phase },
          { name: 'check', value: check.id },
        ],
        parameters: [
          { name: 'phase', value: check.phase },
          { name: 'status', value: check.status },
        ],
        description: `**${check.status}**: ${check.summary}`,
      },
    },
    {
      type: 'attachment_content',
      data: {
        name: 'evidence',
        content: Buffer.from(redactText(JSON.stringify(check.evidence, null, 2))).toString('base64'),
        encoding: 'base64',
        contentType: 'application/json',
        fileExtension: 'json',
      },
    },
  ];
  for (const file of screenshotsOf(check, runDir)) {
    const type = imageTypes[path.extname(file).toLowerCase()];
    if (type && existsSync(file))
      messages.push({ type: 'attachment_path', data: { name: path.basename(file), path: file, contentType: type } });
  }
  return messages;
}

/** Reads a run's certificate when it is there (the suites write it in their last hook, before the run ends). */
export function readCertificate(runDir: string): Certificate | undefined {
  const file = path.join(runDir, 'certificate.json');
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as Certificate;
}
