#!/usr/bin/env bash
# The Swift package as a remote user gets it: Tests/Consumer depends on this repository by a
# file:// git URL at tag $VERSION (in a bare clone made here, so this repository gets no tag),
# builds, and runs against the sandbox. The working tree's tracked files are what is tagged, so
# uncommitted changes are tested too.
set -euo pipefail
cd "$(dirname "$0")/../.."
top=$PWD
version=$(cat VERSION)
work=$top/build/consumer
rm -rf "$work"
mkdir -p "$work"

# `git stash create` commits the tracked working tree without touching it (nothing to commit: HEAD).
rev=$(git stash create)
rev=${rev:-$(git rev-parse HEAD)}
git init --quiet --bare "$work/libtoggl.git"
git push --quiet "$work/libtoggl.git" "$rev:refs/heads/main"
git -C "$work/libtoggl.git" tag "$version" "$rev"

export LIBTOGGL_GIT_URL="file://$work/libtoggl.git"
# Built from a copy, so that its Package.resolved (pinning this run's commit) stays out of the
# tree, with its own dependency cache, which would otherwise keep an earlier run's tag.
mkdir -p "$work/package"
cp -R Tests/Consumer/Package.swift Tests/Consumer/Sources "$work/package/"
swift build --package-path "$work/package" --scratch-path "$work/.build" --cache-path "$work/cache"
Tests/Sandbox/run-with-sandbox.sh sh -c '"$0" "$TOGGL_BASE_URL" "$1"' "$work/.build/debug/TogglConsumer" "$work/store.db"
