/** The tests' PostgreSQL: one implementation for every test folder (fixtures/platform/test/support/). */
export {
  startTestDatabase,
  type TestDatabase,
  type TestDatabaseOptions,
} from '../../fixtures/platform/test/support/database.ts';
