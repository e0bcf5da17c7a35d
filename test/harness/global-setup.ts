import { TEST_POSTGRES_URL, testDbKind, withAdmin } from './test-database';

/** The PostgreSQL suite fails loudly when PostgreSQL is unreachable; it is never skipped. */
export default async function globalSetup(): Promise<void> {
  if (testDbKind() !== 'postgres') return;
  try {
    await withAdmin((client) => client.query('SELECT 1'));
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${TEST_POSTGRES_URL} (${(error as Error).message}). ` +
        'Start it (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or set TEST_POSTGRES_URL.',
    );
  }
}
