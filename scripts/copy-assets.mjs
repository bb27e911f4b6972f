// Copy the built front-end files from node_modules/ into kechuang/static/vendor/ (git-ignored).
// Run by `make assets` after `npm ci`. Nothing is loaded from the internet at run time.
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const vendor = join(root, "kechuang", "static", "vendor");
const files = [
  ["bootstrap/dist/css/bootstrap.min.css", "bootstrap/bootstrap.min.css"],
  ["bootstrap/dist/css/bootstrap.min.css.map", "bootstrap/bootstrap.min.css.map"],
  ["bootstrap/dist/js/bootstrap.bundle.min.js", "bootstrap/bootstrap.bundle.min.js"],
  ["bootstrap/dist/js/bootstrap.bundle.min.js.map", "bootstrap/bootstrap.bundle.min.js.map"],
  ["htmx.org/dist/htmx.min.js", "htmx/htmx.min.js"],
  ["echarts/dist/echarts.min.js", "echarts/echarts.min.js"],
];
let missing = 0;
for (const [from, to] of files) {
  const src = join(root, "node_modules", from);
  if (!existsSync(src)) {
    if (from.endsWith(".map")) continue; // source maps are optional
    console.error(`missing ${src}: run npm ci first`);
    missing += 1;
    continue;
  }
  const dest = join(vendor, to);
  mkdirSync(dirname(dest), { recursive: true });
  copyFileSync(src, dest);
  console.log(`vendor/${to}`);
}
process.exit(missing ? 1 : 0);
