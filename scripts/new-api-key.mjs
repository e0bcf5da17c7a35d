#!/usr/bin/env node
// Makes an API key: prints the key once (give it to its user), and what to
// configure (API_KEYS entry, or a keys-file entry holding only its SHA-256).
// Usage: npm run auth:new-key -- <name> <read|write|admin>
import { createHash, randomBytes } from 'node:crypto';

const [name, role] = process.argv.slice(2);
if (!name || !/^[A-Za-z0-9_.-]{1,64}$/.test(name) || !['read', 'write', 'admin'].includes(role)) {
  console.error('usage: npm run auth:new-key -- <name: letters, digits, . _ -> <read|write|admin>');
  process.exit(2);
}
const key = randomBytes(24).toString('base64url');
const sha256 = createHash('sha256').update(key).digest('hex');
console.log(`key (shown once; send it as Authorization: Bearer <key>):\n  ${key}\n`);
console.log(`API_KEYS entry (the key hashed, so the environment holds no secret):\n  ${name}:${role}:sha256:${sha256}\n`);
console.log(`or in the file named by auth.keys_file:\n  keys:\n    - { name: ${name}, role: ${role}, sha256: ${sha256} }`);
