#!/usr/bin/env bash
# Checks the generated Go, TypeScript and AsyncAPI files of an export with the real
# toolchains, installing them when missing: Debian's golang-go, npm's typescript and the
# official AsyncAPI schema (@asyncapi/specs, validated with ajv).
set -euo pipefail
out=$1
repo=$(cd "$(dirname "$0")/.." && pwd)

if ! command -v go >/dev/null 2>&1; then
    echo "== installing golang-go"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GOCACHE="$work/gocache" GOPATH="$work/gopath" GOFLAGS=-mod=mod GOTOOLCHAIN=local

echo "== gofmt, go vet, go test (every example round-trips), go run ./cmd/sizes"
unformatted=$(cd "$out/go" && gofmt -l .)
if [ -n "$unformatted" ]; then
    echo "not gofmt-formatted: $unformatted" >&2
    exit 1
fi
(cd "$out/go" && go vet ./... && go test ./... && go run ./cmd/sizes)

echo "== installing typescript and the AsyncAPI schema"
(cd "$work" && npm install --no-audit --no-fund --silent typescript@5 @asyncapi/specs@6 ajv@8 ajv-formats@3 >/dev/null)

echo "== tsc --noEmit --strict"
"$work/node_modules/.bin/tsc" --noEmit --strict --target es2020 --module es2020 --moduleResolution node \
    "$out/typescript/kafka-events.ts" "$out/typescript/examples.test.ts"
echo "tsc: types and every example compile"

echo "== AsyncAPI 3.0.0 schema"
NODE_PATH="$work/node_modules" node "$repo/.ci/check_asyncapi.js" "$out/asyncapi.json"

echo "== Go memory: the generated structs against go-jsonschema's (interop/go-memory)"
# A copy beside the export, laid out as its go.mod expects (../../out/go).
cp -r "$repo/interop/go-memory" "$work/go-memory"
rm -rf "$work/go-memory/peers"
mkdir -p "$work/interop" && mv "$work/go-memory" "$work/interop/go-memory"
ln -s "$(cd "$out" && pwd)" "$work/out"
"$work/interop/go-memory/generate.sh" "$work/out"
(cd "$work/interop/go-memory" && go run . -export "$work/out")
