/** Tenant fingerprints: from the API, from the database, and the differences between two of them. */
export { fingerprintFromApi } from './fingerprint-api.ts';
export { type DatabaseFingerprintOptions, fingerprintFromDatabase } from './fingerprint-database.ts';
export { describeDifference, diffFingerprints, type FingerprintDifference } from './fingerprint-diff.ts';
export {
  canonicalJson,
  type Fingerprint,
  type FingerprintKind,
  type FingerprintRecord,
  fingerprintKinds,
} from './fingerprint-record.ts';
