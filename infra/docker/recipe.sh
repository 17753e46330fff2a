#!/bin/sh
# The image recipe's steps, in one place: infra/docker/Dockerfile runs them in its stages, and
# infra/test/image.test.ts runs the same ones without a Docker engine.
#   recipe.sh prune   <package> <out-dir>   the package, its workspace dependencies, a cut lockfile
#   recipe.sh install [pnpm flags...]       in out/json: dependencies exactly as locked
#   recipe.sh build   <package> [turbo flags...]   in out/full: generate (Prisma) and compile
#   recipe.sh deploy  <package> <app-dir> [pnpm flags...]   production dependencies and `files` only
set -eu
step="$1"
shift
case "$step" in
  prune)
    turbo prune "$1" --docker --out-dir "$2"
    # turbo prune copies package folders and the workspace files; the compile also needs the
    # root's shared compiler options, and pnpm its settings.
    cp tsconfig.base.json "$2/full/"
    cp .npmrc "$2/json/"
    cp .npmrc "$2/full/"
    ;;
  install) pnpm install --frozen-lockfile "$@" ;;
  build)
    package="$1"
    shift
    # Prisma's generate needs a schema-engine path, never the engine itself.
    PRISMA_SCHEMA_ENGINE_BINARY="${PRISMA_SCHEMA_ENGINE_BINARY:-/bin/true}" \
      pnpm turbo run build --filter="$package..." "$@"
    ;;
  deploy)
    package="$1" app="$2"
    shift 2
    pnpm deploy --filter="$package" --prod "$@" "$app"
    ;;
  *)
    sed -n '2,8p' "$0" >&2
    exit 2
    ;;
esac
