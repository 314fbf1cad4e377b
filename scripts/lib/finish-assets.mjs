// Gives each browser bundle content-hashed file names (so they can be cached for a year) and
// writes brotli and gzip copies next to every file the server sends from the pkg folder.
// Usage: node scripts/lib/finish-assets.mjs target/site/pkg
// Writes pkg/assets.json: {"rendezvous": "rendezvous.<hash>", "booking": "booking.<hash>"}.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync, readdirSync, unlinkSync, existsSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

const pkg = process.argv[2];
const BUNDLES = ["rendezvous", "booking"];
const EXTENSIONS = ["js", "wasm", "css"];
const HASHED = /^(rendezvous|booking)\.[0-9a-f]{16}\./;

for (const name of readdirSync(pkg)) {
  if (HASHED.test(name)) unlinkSync(join(pkg, name)); // earlier builds
}

const stems = {};
for (const bundle of BUNDLES) {
  const files = EXTENSIONS.map((ext) => join(pkg, `${bundle}.${ext}`));
  if (!files.every(existsSync)) throw new Error(`missing ${bundle} bundle files in ${pkg}`);
  const hash = createHash("sha256");
  for (const file of files) hash.update(readFileSync(file));
  const stem = `${bundle}.${hash.digest("hex").slice(0, 16)}`;
  for (const ext of EXTENSIONS) writeFileSync(join(pkg, `${stem}.${ext}`), readFileSync(join(pkg, `${bundle}.${ext}`)));
  stems[bundle] = stem;
}
writeFileSync(join(pkg, "assets.json"), JSON.stringify(stems) + "\n");

for (const name of readdirSync(pkg)) {
  if (!/\.(js|wasm|css)$/.test(name)) continue;
  const body = readFileSync(join(pkg, name));
  writeFileSync(join(pkg, `${name}.br`), brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  writeFileSync(join(pkg, `${name}.gz`), gzipSync(body, { level: 9 }));
}
console.log(`assets: ${JSON.stringify(stems)}`);
