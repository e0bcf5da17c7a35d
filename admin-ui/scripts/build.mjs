// Builds the admin UI (npm run build:ui, run by npm run build after nest build):
//   1. the OpenAPI document: from --openapi <url | file> (e.g. a running app's /docs-json),
//      else made from the sources without a server (openapi-document.ts, a throwaway SQLite);
//   2. the client types from it, with the SDK test's generator (test/sdk/generate-client.mjs),
//      and the role each operation needs (x-required-role), into src/api/generated/;
//   3. a type check of the UI against them: an API change that breaks the UI fails the build;
//   4. the bundle (Vite) into dist/admin, and its size.
// --generate-only stops after 2 (the UI's unit tests need the generated files, not a bundle).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const UI = dirname(dirname(fileURLToPath(import.meta.url)));
const REPO = dirname(UI);
const GENERATED = join(UI, 'src', 'api', 'generated');
const OUT = join(REPO, 'dist', 'admin');
const bin = (pkg, path) => join(REPO, 'node_modules', pkg, path);

function step(message) {
  console.log(`build:ui: ${message}`);
}

function run(args, what) {
  try {
    execFileSync(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit'] });
  } catch {
    throw new Error(`${what} failed (see above)`);
  }
}

async function openApiDocument(source, into) {
  if (!source) {
    step('OpenAPI document from the sources (no server needed)');
    // The root project's settings (CommonJS, decorators), not the UI's, which is nearer to the script.
    run([bin('ts-node', 'dist/bin.js'), '--transpile-only', '--project', join(REPO, 'tsconfig.json'), join(UI, 'scripts', 'openapi-document.ts'), into], 'writing the OpenAPI document');
  } else if (/^https?:\/\//.test(source)) {
    step(`OpenAPI document from ${source}`);
    const response = await fetch(source);
    if (!response.ok) throw new Error(`GET ${source} answered ${response.status}`);
    writeFileSync(into, await response.text());
  } else {
    writeFileSync(into, readFileSync(source));
  }
  return JSON.parse(readFileSync(into, 'utf8'));
}

/** "METHOD /path" → role, from each operation's x-required-role (absent: public). */
function requiredRoles(document) {
  const roles = {};
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      const role = operation?.['x-required-role'];
      if (typeof role === 'string') roles[`${method.toUpperCase()} ${path}`] = role;
    }
  }
  return roles;
}

function bundleSizes() {
  const assets = join(OUT, 'assets');
  const files = readdirSync(assets).map((name) => {
    const bytes = readFileSync(join(assets, name));
    return { name, raw: bytes.length, gzip: gzipSync(bytes).length };
  });
  const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
  for (const f of files) step(`  ${relative(REPO, join(assets, f.name))}: ${kb(f.raw)} (${kb(f.gzip)} gzip)`);
  const total = files.reduce((sum, f) => ({ raw: sum.raw + f.raw, gzip: sum.gzip + f.gzip }), { raw: 0, gzip: 0 });
  step(`bundle: ${kb(total.raw)}, ${kb(total.gzip)} gzip`);
}

async function main() {
  const args = process.argv.slice(2);
  const at = args.indexOf('--openapi');
  const source = at >= 0 ? args[at + 1] : undefined;
  const work = mkdtempSync(join(tmpdir(), 'dbm-admin-ui-'));
  try {
    const documentFile = join(work, 'openapi.json');
    const document = await openApiDocument(source, documentFile);
    mkdirSync(GENERATED, { recursive: true });
    run([join(REPO, 'test', 'sdk', 'generate-client.mjs'), documentFile, join(GENERATED, 'api.ts')], 'generating the client types');
    writeFileSync(
      join(GENERATED, 'roles.ts'),
      '// Generated from the OpenAPI document (x-required-role of each operation): do not edit, do not commit.\n' +
        `export const REQUIRED_ROLES = ${JSON.stringify(requiredRoles(document), null, 2)} as const;\n`,
    );
    step(`client types in ${relative(REPO, GENERATED)}`);
    if (args.includes('--generate-only')) return;

    step('type check (tsc -p admin-ui)');
    run([bin('typescript', 'bin/tsc'), '-p', join(UI, 'tsconfig.json')], 'the type check of the admin UI');
    step(`bundle into ${relative(REPO, OUT)}`);
    const { build } = await import('vite');
    await build({ configFile: join(UI, 'vite.config.mts'), logLevel: 'warn' });
    bundleSizes();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`build:ui: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
