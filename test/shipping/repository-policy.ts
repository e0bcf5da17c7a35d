import { execFileSync } from 'node:child_process';
import { REPO_ROOT } from './dockerfile';

/**
 * What must never be committed: secrets, environment files, Terraform state,
 * databases and backups (HR data), private keys, installed or built output.
 * Rules over paths and over text, so the spec can show each one catching a
 * bad file as well as passing the repository.
 */

/** A path rule: what it is, and the paths it forbids. */
interface PathRule {
  readonly what: string;
  readonly forbids: RegExp;
  /** Paths it lets through after all (templates meant to be copied). */
  readonly allows?: RegExp;
}

export const PATH_RULES: readonly PathRule[] = [
  { what: 'an environment file', forbids: /(^|\/)\.env(\.[^/]+)?$/, allows: /\.(example|sample|template)$/ },
  { what: 'Terraform state or a provider cache', forbids: /(\.tfstate(\.[^/]+)?$|(^|\/)\.terraform\/|(^|\/)\.terraform\.tfstate\.lock\.info$)/ },
  { what: 'a Terraform variables file (may hold secrets)', forbids: /\.tfvars(\.json)?$/, allows: /\.example$/ },
  { what: 'a database file', forbids: /\.(sqlite3?|db|sqlite3?-(wal|shm|journal))$/ },
  { what: 'a backup of the data', forbids: /(^|\/)data\/backups\/|\.avro$/ },
  { what: 'a private key or keystore', forbids: /(\.(pem|key|p12|pfx|jks|keystore|ppk)$|(^|\/)id_(rsa|dsa|ecdsa|ed25519)$)/ },
  { what: 'installed dependencies', forbids: /(^|\/)node_modules\// },
  { what: 'build or coverage output', forbids: /^(dist|coverage)\// },
  { what: 'a log file', forbids: /\.log$/ },
];

/** A text rule: what it is, and the text that gives it away. */
interface TextRule {
  readonly what: string;
  readonly finds: RegExp;
}

// Passwords in example URLs that are placeholders, not secrets.
const PLACEHOLDER_PASSWORDS = 'pass|password|secret|postgres|changeme|example';

export const TEXT_RULES: readonly TextRule[] = [
  { what: 'a private key', finds: /-----BEGIN ([A-Z]+ )*PRIVATE KEY-----/ },
  { what: 'an AWS access key id', finds: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { what: 'a GitHub token', finds: /\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})\b/ },
  { what: 'an npm token', finds: /(\bnpm_[A-Za-z0-9]{36}\b|_authToken\s*=)/ },
  { what: 'a Slack token', finds: /\bxox[abprs]-[A-Za-z0-9-]{10,}/ },
  {
    what: 'a database or cache URL with a password',
    // user:password@ where the password is neither an interpolation (${…}), a <placeholder>, nor a placeholder word.
    finds: new RegExp(`\\b(postgres(ql)?|mysql|mongodb(\\+srv)?|redis|rediss)://[^\\s:/@'"\`]+:(?!\\$\\{|<|(${PLACEHOLDER_PASSWORDS})@)[^\\s@'"\`/]+@`, 'i'),
  },
];

/** The files git tracks, relative to the repository root. */
export function trackedFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z'], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return out.split('\0').filter((path) => path !== '');
}

/** "path: what" for each path a rule forbids. */
export function forbiddenPaths(paths: readonly string[]): string[] {
  return paths.flatMap((path) =>
    PATH_RULES.filter((rule) => rule.forbids.test(path) && !rule.allows?.test(path)).map((rule) => `${path}: ${rule.what}`),
  );
}

/** "path:line: what" for each line of `text` a rule finds something in. */
export function secretsIn(path: string, text: string): string[] {
  return text
    .split('\n')
    .flatMap((line, i) => TEXT_RULES.filter((rule) => rule.finds.test(line)).map((rule) => `${path}:${i + 1}: ${rule.what}`));
}
