# Sourced by the bench scripts: installs the Debian packages they need.
# The package lists are updated only when an install fails, at most once.

# apt_install PACKAGE... — installs them (with sudo unless root).
apt_install() {
    local sudo=
    [[ $(id -u) -eq 0 ]] || sudo=sudo
    echo "installing with apt-get: $*" >&2
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >&2 && return
    [[ -n ${APT_UPDATED:-} ]] || { $sudo apt-get update >&2; APT_UPDATED=1; }
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >&2
}

# install_missing COMMAND... — installs the package of the same name for each command not on PATH.
install_missing() {
    local missing=() command
    for command in "$@"; do command -v "$command" >/dev/null || missing+=("$command"); done
    ((${#missing[@]} == 0)) || apt_install "${missing[@]}"
}
