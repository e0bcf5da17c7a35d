// Generates the TypeScript types of a client SDK from the service's OpenAPI
// document (openapi-typescript); openapi-fetch is the runtime that uses them.
//   node test/sdk/generate-client.mjs <openapi.json | http://host/docs-json> <output.ts>
// File parts (format: binary) become Blob, so uploads type-check as browsers
// and Node send them. An ES module because openapi-typescript's dependencies are.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';

const BLOB = ts.factory.createTypeReferenceNode(ts.factory.createIdentifier('Blob'));
const NULL = ts.factory.createLiteralTypeNode(ts.factory.createNull());

async function readDocument(source) {
  if (/^https?:\/\//.test(source)) {
    const response = await fetch(source);
    if (!response.ok) throw new Error(`GET ${source} answered ${response.status}`);
    return response.json();
  }
  return JSON.parse(await readFile(source, 'utf8'));
}

const [source, output] = process.argv.slice(2);
if (!source || !output) {
  console.error('usage: node test/sdk/generate-client.mjs <openapi.json | url> <output.ts>');
  process.exit(2);
}
const ast = await openapiTS(await readDocument(source), {
  transform: (schema) => {
    if (schema.format !== 'binary') return undefined;
    return schema.nullable ? ts.factory.createUnionTypeNode([BLOB, NULL]) : BLOB;
  },
});
await mkdir(dirname(output), { recursive: true });
await writeFile(output, `// Generated from the OpenAPI document by openapi-typescript: do not edit, do not commit.\n${astToString(ast)}`);
