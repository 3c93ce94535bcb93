#!/usr/bin/env bash
# Builds the web app into app/dist: papi descriptors generated from cli/metadata/kasane.scale
# (the runtime's metadata, which cli/tests/metadata.rs keeps current), a type check against
# them, and the vite build. Skipped when nothing it reads changed since the last build. Fails
# when the committed descriptors package (its version is a hash of the metadata and of
# app/.papi/whitelist.ts) no longer matches them; `scripts/build-app.sh --refresh` then
# regenerates it and the lockfile entry naming its version (scripts/refresh-cli-metadata.sh
# does so after a runtime change).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = --refresh ]; then
	(cd app && ../node_modules/.bin/papi generate)
	npm install --no-audit --no-fund --loglevel=error
	echo "regenerated app/.papi/descriptors: commit its package.json and package-lock.json"
fi

stamp=app/dist/.sources
sources=$(
	{
		cat app/package.json package-lock.json app/index.html app/vite.config.ts app/tsconfig.json \
			app/.papi/polkadot-api.json app/.papi/whitelist.ts app/.papi/descriptors/package.json \
			cli/metadata/kasane.scale
		find app/src -type f | LC_ALL=C sort | xargs cat
	} | sha256sum | cut -d' ' -f1
)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sources" ] && [ -d app/.papi/descriptors/dist ]; then
	echo "app: unchanged since the last build (app/dist)"
	exit 0
fi

# The version papi writes is a hash of the metadata and the whitelist; the lockfile records the
# committed one (only --refresh rewrites it), so a stale package shows on every run.
locked=$(node -e 'console.log(require("./package-lock.json").packages["app/.papi/descriptors"].version)')
if ! (cd app && ../node_modules/.bin/papi generate > ../app/.papi/generate.log 2>&1); then
	cat app/.papi/generate.log >&2
	echo "papi generate failed" >&2
	exit 1
fi
generated=$(node -e 'console.log(require("./app/.papi/descriptors/package.json").version)')
if [ "$generated" != "$locked" ]; then
	echo "app/.papi/descriptors ($generated) does not match the committed one ($locked) for cli/metadata/kasane.scale and app/.papi/whitelist.ts: run scripts/build-app.sh --refresh and commit what it changes" >&2
	exit 1
fi
# The app's own TypeScript (its package pins it), not whichever one the workspace hoisted.
(cd app && npm exec --no -- tsc -p . && ../node_modules/.bin/vite build --logLevel warn)
echo "$sources" > "$stamp"
js_gzip=$(cat app/dist/assets/*.js | gzip -9 | wc -c)
echo "app: built app/dist ($((js_gzip / 1024)) KiB of JavaScript gzipped, all chunks)"
