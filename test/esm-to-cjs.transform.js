/**
 * Jest transform for the ES-module-only packages in node_modules (NestJS 12,
 * and a few of their dependencies): Jest 29 runs the tests as CommonJS and can
 * require() an ES module only on Node 24.9+, while Node itself does so from 20.19
 * (the built service needs nothing of this). Other files pass through unchanged.
 */
const { createHash } = require('node:crypto');
const { existsSync, readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const ts = require('typescript');

const SELF = readFileSync(__filename, 'utf8');
const typeByDir = new Map();

/** Whether Node loads this file as an ES module: .mjs, or .js under a package.json with "type": "module". */
function isEsm(path) {
  if (path.endsWith('.mjs')) return true;
  if (!path.endsWith('.js')) return false;
  const seen = [];
  let dir = dirname(path);
  let type;
  for (;;) {
    if (typeByDir.has(dir)) {
      type = typeByDir.get(dir);
      break;
    }
    seen.push(dir);
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      type = JSON.parse(readFileSync(manifest, 'utf8')).type ?? 'commonjs';
      break;
    }
    const parent = dirname(dir);
    if (parent === dir) {
      type = 'commonjs';
      break;
    }
    dir = parent;
  }
  for (const d of seen) typeByDir.set(d, type);
  return type === 'module';
}

// CommonJS has no import.meta: what these packages use of it, in CommonJS terms. A module's own
// require is what createRequire(import.meta.url) makes (and Jest's keeps its module registry).
const IMPORT_META = [
  [/\b(?:const|let|var)\s+require\s*=\s*createRequire\(import\.meta\.url\);?/g, ''],
  [/\bcreateRequire\(import\.meta\.url\)/g, 'require'],
  [/\bimport\.meta\.url\b/g, "require('node:url').pathToFileURL(__filename).href"],
  [/\bimport\.meta\.resolve\(/g, 'require.resolve('],
  [/\bimport\.meta\.dirname\b/g, '__dirname'],
  [/\bimport\.meta\.filename\b/g, '__filename'],
];

module.exports = {
  process(source, path) {
    if (!isEsm(path)) return { code: source };
    const code = IMPORT_META.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), source);
    const { outputText } = ts.transpileModule(code, {
      fileName: path,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, allowJs: true },
    });
    return { code: outputText };
  },
  getCacheKey(source, path) {
    return createHash('sha256').update(SELF).update(ts.version).update(path).update(source).digest('hex');
  },
};
