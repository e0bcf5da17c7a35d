import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './dockerfile';
import { forbiddenPaths, secretsIn, trackedFiles } from './repository-policy';

/** Larger files are data, not configuration or code. */
const SCANNED_BYTES = 2 * 1024 * 1024;

/** The fixtures below, split so that this file's own text does not hold what the scan looks for. */
const joined = (...parts: string[]): string => parts.join('');

describe('the repository holds no secret, state, database or build output', () => {
  const files = trackedFiles();

  it('tracks the lockfile (installs are reproducible: npm ci)', () => {
    expect(files).toEqual(expect.arrayContaining(['package.json', 'package-lock.json']));
  });

  it('tracks no environment file, Terraform state, database, backup, key, node_modules, dist or log', () => {
    expect(forbiddenPaths(files)).toEqual([]);
  });

  it('holds no private key, cloud or registry token, or URL with a real password in any tracked text', () => {
    const found = [...new Set([...files, 'test/shipping/repository.spec.ts'])]
      // The lockfile's integrity hashes are base64: they could look like anything.
      .filter((path) => path !== 'package-lock.json')
      .flatMap((path) => {
        const bytes = readFileSync(join(REPO_ROOT, path));
        if (bytes.length > SCANNED_BYTES || bytes.includes(0)) return [];
        return secretsIn(path, bytes.toString('utf8'));
      });
    expect(found).toEqual([]);
  });

  it('ignores what the service and its tools write, so it is not committed by accident', () => {
    const ignored = readFileSync(join(REPO_ROOT, '.gitignore'), 'utf8').split('\n').map((line) => line.trim());
    expect(ignored).toEqual(expect.arrayContaining(['node_modules/', 'dist/', '.env', '*.sqlite3', 'data/backups/']));
  });

  describe('each rule catches what it is for', () => {
    it.each([
      '.env',
      'config/.env.production',
      'infra/aws/terraform.tfstate',
      'infra/aws/terraform.tfstate.backup',
      'infra/aws/.terraform/providers/x',
      'infra/aws/prod.tfvars',
      'data/migration.sqlite3',
      'data/migration.sqlite3-wal',
      'test.db',
      'data/backups/backup-1-0123456789abcdef-employees.avro',
      'deploy/server.pem',
      'deploy/tls.key',
      'home/.ssh/id_ed25519',
      'node_modules/pg/index.js',
      'dist/src/main.js',
      'npm-debug.log',
    ])('forbids %s', (path) => {
      expect(forbiddenPaths([path])).toHaveLength(1);
    });

    it.each(['.env.example', 'infra/aws/terraform.tfvars.example', 'src/idempotency/idempotency-key.entity.ts', 'data/hired_employees.csv', 'src/dist.ts'])(
      'allows %s',
      (path) => {
        expect(forbiddenPaths([path])).toEqual([]);
      },
    );

    it.each([
      ['a private key', joined('-----BEGIN RSA ', 'PRIVATE KEY-----')],
      ['an AWS key id', joined('aws_access_key_id = AK', 'IAIOSFODNN7EXAMPLE')],
      ['a GitHub token', joined('token: gh', 'p_', 'a1B2'.repeat(9))],
      ['an npm token', joined('//registry.npmjs.org/:_auth', 'Token=abc')],
      ['a Slack token', joined('xo', 'xb-123456789012-abcdefghij')],
      ['a database password', joined('DATABASE_URL=postgres://app:S3cr3t-pw', '@db.internal:5432/hr')],
      ['a Redis password', joined("REDIS_URL: 'redis://default:hunter2hunter2", "@cache:6379'")],
    ])('finds %s', (_what, line) => {
      expect(secretsIn('file', `first line\n${line}\n`)).toEqual([expect.stringMatching(/^file:2: /)]);
    });

    it.each([
      'postgres://user:pass@host:5432/db',
      'postgres://hr:${POSTGRES_PASSWORD:-hr-local-only}@db:5432/hr',
      'postgres://app:<password>@<rds-address>:5432/hr',
      'postgres://${aws_db_instance.this.username}:${random_password.db.result}@host/hr',
      'postgres://postgres@127.0.0.1:5432/postgres',
      'redis://127.0.0.1:6379',
    ])('lets a placeholder through: %s', (line) => {
      expect(secretsIn('file', line)).toEqual([]);
    });
  });
});
