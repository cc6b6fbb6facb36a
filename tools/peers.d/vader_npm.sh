# shellcheck shell=bash disable=SC2034  # vader_version, vader_reason are read by the caller
# tools/peers.d/vader_npm.sh — sourced by tools/peers: makes the npm package vader-sentiment
# available the same way tools/bench does (same pinned version, same cache directory outside the
# repository, same npm command), so both tools share one install. tools/bench could source it too.
#
#   vader_cache_dir                    prints ${XDG_CACHE_HOME:-$HOME/.cache}/vocmine-bench
#   vader_ensure CACHE LOG             0 when require('vader-sentiment') works with
#                                      NODE_PATH=CACHE/node_modules, installing it first if
#                                      needed (npm output in LOG); else 1 with the reason in
#                                      $vader_reason
#   $vader_version                     the pinned version (after vader_ensure: the installed one)

vader_version="1.1.3"
vader_reason=""

vader_cache_dir() { printf '%s\n' "${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/vocmine-bench"; }

vader_check() { NODE_PATH="$1/node_modules" node -e "require('vader-sentiment')" >/dev/null 2>&1; }

vader_ensure() {
    local cache="$1" log="$2"
    if ! command -v node >/dev/null; then
        vader_reason="node is not installed (Debian: nodejs npm)"; return 1
    fi
    if ! vader_check "$cache"; then
        if ! command -v npm >/dev/null; then
            vader_reason="npm is not installed (Debian: npm)"; return 1
        fi
        printf 'peers: installing vader-sentiment@%s into %s ...\n' "$vader_version" "$cache" >&2
        if ! ( mkdir -p "$cache" && cd "$cache" && timeout 300 npm install --prefix "$cache" --no-audit --no-fund \
                 --loglevel=error "vader-sentiment@$vader_version" ) >"$log" 2>&1 || ! vader_check "$cache"; then
            tail -n 5 "$log" >&2 || true
            vader_reason="npm install vader-sentiment@$vader_version failed (offline, or no write access to $cache?)"
            return 1
        fi
    fi
    vader_version="$(NODE_PATH="$cache/node_modules" node -p "require('vader-sentiment/package.json').version")"
    return 0
}
