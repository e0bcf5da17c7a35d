#!/usr/bin/env node
// Lists the production dependencies that have a newer release, most behind
// first, for the README's maintenance routine. Informational: exits 0 once the
// list is printed (with --strict, 1 when one is a major version behind); exits
// 2 when npm could not answer (no registry, no node_modules).
// Usage: npm run deps:check [-- --strict]
import { spawnSync } from 'node:child_process';

const strict = process.argv.includes('--strict');
// `npm outdated` exits 1 when something is outdated: its JSON on stdout is the answer, not its status.
const npm = spawnSync('npm', ['outdated', '--omit=dev', '--json', '--long'], { encoding: 'utf8', shell: process.platform === 'win32' });
let outdated;
try {
  outdated = JSON.parse(npm.stdout || '{}');
} catch {
  outdated = null;
}
if (npm.error || outdated === null || 'error' in outdated) {
  console.error(`deps:check: npm outdated gave no answer${npm.error ? ` (${npm.error.message})` : ''}`);
  console.error((outdated?.error?.summary ?? npm.stderr ?? '').trim());
  process.exit(2);
}

const LEVELS = ['major', 'minor', 'patch', 'other', 'ahead'];
/** How far `current` is behind `latest`: the first of major, minor, patch that differs. */
function behind(current, latest) {
  const [a, b] = [current, latest].map((v) => String(v ?? '').split(/[.+-]/).slice(0, 3).map(Number));
  if (a.length < 3 || b.length < 3 || [...a, ...b].some(Number.isNaN)) return 'other';
  const first = [0, 1, 2].find((i) => a[i] !== b[i]);
  // npm's "latest" is the newest release whose engines accept this Node: an installed release
  // that asks for a newer Node (nestjs-pino 5 on Node 20) is past it, not behind.
  if (first !== undefined && a[first] > b[first]) return 'ahead';
  return LEVELS[first ?? 3];
}

// --omit=dev still lists a dev dependency that a production one names as a peer (typescript, @types/node): --long says which it is.
const rows = Object.entries(outdated)
  .filter(([, info]) => info.type !== 'devDependencies')
  .map(([name, info]) => ({
    name,
    // A dependency in package.json but not installed has no current version.
    current: info.current ?? 'missing',
    wanted: info.wanted,
    latest: info.latest,
    behind: info.current ? behind(info.current, info.latest) : 'other',
  }));
rows.sort((x, y) => LEVELS.indexOf(x.behind) - LEVELS.indexOf(y.behind) || x.name.localeCompare(y.name));

if (rows.length === 0) {
  console.log('deps:check: every production dependency is on its latest release');
  process.exit(0);
}
const header = { name: 'package', current: 'current', wanted: 'wanted', latest: 'latest', behind: 'behind' };
const width = (key) => Math.max(...[header, ...rows].map((row) => String(row[key]).length));
const columns = ['name', 'current', 'wanted', 'latest', 'behind'];
for (const row of [header, ...rows]) console.log(columns.map((key) => String(row[key]).padEnd(width(key))).join('  ').trimEnd());
const majors = rows.filter((row) => row.behind === 'major').length;
const newer = rows.filter((row) => row.behind !== 'ahead').length;
console.log(`\n${newer} production dependenc${newer === 1 ? 'y has' : 'ies have'} a newer release; ${majors} a new major version (read its changelog before upgrading).`);
process.exit(strict && majors > 0 ? 1 : 0);
