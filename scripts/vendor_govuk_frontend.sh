#!/usr/bin/env bash
# Maintainers only: rebuilds the GOV.UK Frontend assets that are committed under static/.
# The app itself never needs Node: run this after changing static/src/caseaudit.scss or the
# pinned versions in scripts/govuk-build/package.json, then commit what it writes.
#
#   scripts/vendor_govuk_frontend.sh
#
# Writes:
#   static/caseaudit/caseaudit.css     govuk-frontend + our styles, compressed
#   static/govuk/govuk-frontend.min.js  the ES module build (imported by static/caseaudit/app.js)
#   static/VERSIONS.txt                 what was built from
#
# No images or fonts are copied on purpose: this service is not on GOV.UK, so it must not use the
# crown, the crest or the GDS Transport font (static/src/caseaudit.scss switches them off).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$ROOT/scripts/govuk-build"
STATIC="$ROOT/static"

command -v npm >/dev/null || { echo "npm is needed to rebuild the assets (not to run the app)" >&2; exit 1; }

cd "$BUILD"
# `npm ci` installs exactly what package-lock.json pins; no install scripts are needed.
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error

FRONTEND_VERSION="$(node -p "require(\"./node_modules/govuk-frontend/package.json\").version")"
SASS_VERSION="$("$BUILD/node_modules/.bin/sass" --version | cut -d" " -f1)"

"$BUILD/node_modules/.bin/sass" \
  --no-source-map \
  --style=compressed \
  --quiet-deps \
  --load-path="$BUILD/node_modules" \
  "$STATIC/src/caseaudit.scss" "$STATIC/caseaudit/caseaudit.css.tmp"
# Sass starts compressed output with a byte order mark when the CSS holds non-ASCII text; the
# mark must stay the first bytes of the file, so the comment goes after it.
{
  printf '\357\273\277'
  printf '/*! caseaudit styles: govuk-frontend %s (MIT), built with sass %s by scripts/vendor_govuk_frontend.sh from static/src/caseaudit.scss. Do not edit. */\n' \
    "$FRONTEND_VERSION" "$SASS_VERSION"
  sed '1s/^\xEF\xBB\xBF//' "$STATIC/caseaudit/caseaudit.css.tmp"
} >"$STATIC/caseaudit/caseaudit.css"
rm "$STATIC/caseaudit/caseaudit.css.tmp"

# The source map comment is dropped: we do not ship the map, and Django's manifest storage
# refuses files that point at a missing one.
sed -e '/^\/\/# sourceMappingURL=/d' -e 's#//\# sourceMappingURL=[^ ]*$##' \
  "$BUILD/node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js" \
  >"$STATIC/govuk/govuk-frontend.min.js"

cat >"$STATIC/VERSIONS.txt" <<VERSIONS
Vendored front-end assets (rebuild with scripts/vendor_govuk_frontend.sh; do not edit by hand)

govuk-frontend $FRONTEND_VERSION (MIT licence, https://github.com/alphagov/govuk-frontend)
  static/govuk/govuk-frontend.min.js, compiled into static/caseaudit/caseaudit.css
sass $SASS_VERSION
  compiler used for static/src/caseaudit.scss
VERSIONS

echo "Built with govuk-frontend $FRONTEND_VERSION and sass $SASS_VERSION"
