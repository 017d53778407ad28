import type { CertificationInput } from '../src/journey/certification.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    upcert: CertificationInput | undefined;
  }
}
