// Builds static/js/live-editor.js from main.js with the pinned esbuild (package.json), and
// records in its first line a hash of its sources (this folder and package-lock.json), so
// that tests/structure/test_live_bundle.py can tell a bundle that is behind its sources.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..");

export function sourcesHash() {
  const hash = createHash("sha256");
  const files = readdirSync(here)
    .filter((name) => name.endsWith(".js") || name.endsWith(".mjs"))
    .sort();
  for (const name of files) hash.update(name + "\0" + readFileSync(join(here, name)));
  hash.update(readFileSync(join(root, "package-lock.json")));
  return hash.digest("hex");
}

const result = await build({
  entryPoints: [join(here, "main.js")],
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  legalComments: "none",
  write: false,
});
const out = process.env.LIVE_EDITOR_OUT || join(root, "static", "js", "live-editor.js");
writeFileSync(out, `// sources: ${sourcesHash()} (npm run build)\n` + result.outputFiles[0].text);
