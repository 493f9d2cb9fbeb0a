#!/usr/bin/env bash
# Vendor the front-end assets pinned in package.json from the npm registry into static files,
# each with its licence. Run after changing a version in package.json; commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp package.json "$work/"
(cd "$work" && npm install --no-audit --no-fund --ignore-scripts --silent)
nm="$work/node_modules"
dest=src/talentflow/core/static/vendor
rm -rf "$dest"
mkdir -p "$dest"/{bootstrap,echarts,htmx,jsqr,tom-select}
cp "$nm/bootstrap/dist/css/bootstrap.min.css" "$nm/bootstrap/dist/js/bootstrap.bundle.min.js" "$dest/bootstrap/"
cp "$nm/bootstrap/LICENSE" "$dest/bootstrap/LICENSE"
cp "$nm/echarts/dist/echarts.min.js" "$dest/echarts/"
cp "$nm/echarts/LICENSE" "$dest/echarts/LICENSE"
cp "$nm/htmx.org/dist/htmx.min.js" "$dest/htmx/"
cp "$nm/htmx.org/LICENSE" "$dest/htmx/LICENSE"
cp "$nm/jsqr/dist/jsQR.js" "$dest/jsqr/"
cp "$nm/jsqr/LICENSE" "$dest/jsqr/LICENSE"
cp "$nm/tom-select/dist/js/tom-select.complete.min.js" "$nm/tom-select/dist/css/tom-select.bootstrap5.min.css" "$dest/tom-select/"
cp "$nm/tom-select/LICENSE" "$dest/tom-select/LICENSE"
# Source maps are not shipped; a dangling sourceMappingURL makes collectstatic's manifest fail.
find "$dest" \( -name '*.js' -o -name '*.css' \) -exec sed -i -E '/sourceMappingURL=/d' {} +
{
  echo "Vendored by scripts/vendor-assets.sh from the npm registry; versions as installed:"
  for p in bootstrap echarts htmx.org jsqr tom-select; do
    node -e "const p=require('$nm/$p/package.json');console.log('- '+p.name+' '+p.version+' ('+p.license+')')"
  done
} > "$dest/VERSIONS.txt"
cat "$dest/VERSIONS.txt"
