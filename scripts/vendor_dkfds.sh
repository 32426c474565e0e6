#!/bin/sh
# Refresh the vendored Det Fælles Designsystem (npm package dkfds) in caseapp/static/dkfds.
# Needs npm only when run (`make dkfds`); the built files are committed, so running and testing need no Node.
# Usage: scripts/vendor_dkfds.sh [VERSION]   (default: the version named in caseapp/static/dkfds/VERSION)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
dest="$here/caseapp/static/dkfds"
version=${1:-$(cat "$dest/VERSION" 2>/dev/null || echo 11.2.0)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "dkfds@$version" >/dev/null && tar xzf dkfds-*.tgz)
dist="$work/package/dist"
rm -rf "$dest"
mkdir -p "$dest/css" "$dest/js" "$dest/fonts/IBMPlexSans/complete" "$dest/img"
cp "$dist/css/dkfds.min.css" "$dest/css/"
cp "$dist/js/dkfds.min.js" "$dest/js/"
# Browsers that run the app read woff2 and woff; the older formats are left out.
cp -r "$dist/fonts/IBMPlexSans/complete/woff2" "$dist/fonts/IBMPlexSans/complete/woff" "$dest/fonts/IBMPlexSans/complete/"
cp -r "$dist/img/svg-icons" "$dist/img/all-svg-icons.svg" "$dest/img/"
cp "$dist/img/logo-header-placeholder.png" "$dist/img/logo-placeholder.png" "$dest/img/"
cp "$work/package/LICENSE.md" "$dest/LICENSE.md"
echo "$version" > "$dest/VERSION"
echo "dkfds $version vendored into caseapp/static/dkfds"
