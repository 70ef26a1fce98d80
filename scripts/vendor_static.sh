#!/usr/bin/env bash
# Copy the front-end packages installed from npm into static/vendor/, where
# Django's staticfiles (and whitenoise) serve them. No CDN: the browser only ever
# talks to this application. static/vendor/ is generated, so it is not in git.
set -euo pipefail
cd "$(dirname "$0")/.."

src=node_modules
dest=static/vendor
if [ ! -d "$src/@uswds/uswds/dist" ]; then
    echo "node_modules is missing: run 'npm install' (or 'make install') first." >&2
    exit 1
fi

rm -rf "$dest"
mkdir -p "$dest/uswds" "$dest/htmx" "$dest/chartjs"

# USWDS: the CSS refers to ../fonts and ../img, so keep that layout.
uswds="$src/@uswds/uswds/dist"
mkdir -p "$dest/uswds/css" "$dest/uswds/js"
# The source maps too: the production manifest storage follows sourceMappingURL.
cp "$uswds/css/uswds.min.css" "$uswds/css/uswds.min.css.map" "$dest/uswds/css/"
cp "$uswds/js/uswds.min.js" "$uswds/js/uswds.min.js.map" "$uswds/js/uswds-init.min.js" "$uswds/js/uswds-init.min.js.map" "$dest/uswds/js/"
cp -r "$uswds/fonts" "$uswds/img" "$dest/uswds/"

cp "$src/htmx.org/dist/htmx.min.js" "$dest/htmx/"
cp "$src/chart.js/dist/chart.umd.min.js" "$src/chart.js/dist/chart.umd.min.js.map" "$dest/chartjs/"

echo "Front-end packages copied to $dest/"
