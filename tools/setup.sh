# tools/setup.sh — shared by tools/quickstart and tools/check (sourced, not run):
# install the Debian packages vocmine needs (only those missing, `apt-get update` first),
# then configure and build in build/.  Needs root (or sudo) only when something is missing.

VOCMINE_PACKAGES=(build-essential cmake pkg-config libicu-dev libpcre2-dev libopencc-dev
                  libopencc-data libstemmer-dev libsqlite3-dev libjson-c-dev
                  libgmime-3.0-dev libxml2-dev libpq-dev)
# Needed by the tests only (tools/check): the PostgreSQL server that tests/pg/with-postgres.sh
# starts for the PostgreSQL store tests, and the sqlite3 shell the profile tests edit a store
# with; the build and tools/quickstart need only libpq.
VOCMINE_TEST_PACKAGES=(postgresql sqlite3)

vocmine_install_packages() {
  local missing=() p
  for p in "${VOCMINE_PACKAGES[@]}" "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "vocmine: installing missing packages: ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then sudo=(sudo); else
      echo "vocmine: please install as root: apt-get install ${missing[*]}" >&2
      return 1
    fi
  fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# vocmine_build DIR [cmake args...]
vocmine_build() {
  local dir=$1
  shift
  cmake -S "$VOCMINE_ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  cmake --build "$dir" -j "$(nproc)"
}
