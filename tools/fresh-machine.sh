#!/usr/bin/env bash
# Prove `make book` and `make test` on a machine without the book's system packages: a clean
# Debian 12 root made with debootstrap, holding Python 3.11, make, git and another vendor's Node.js
# 20 with its own npm (this machine's installed `nodejs` package, repacked with dpkg-repack), and no
# Chromium, TeX or CJK fonts. A fresh clone of REPO and the source studies are copied in, then
# `make book` and `make test` run inside it (chroot), each timed, with the Debian packages each
# one installed.
#
#   tools/fresh-machine.sh ROOT [REPO]     as root on Debian 12 (apt-get install debootstrap dpkg-repack)
#   FRESH_TARGETS="book test pdf" ...       the make targets to prove, in order (default: book test)
#
# ROOT is created if missing (an existing root is reused: give a new one for a clean proof); the
# report goes to ROOT/proof/report.txt. SEEDS_DIR (default: ../shared/seeds beside REPO) names the
# source studies. Where this machine reaches the registries through a TLS proxy of its own, the
# root trusts the same extra certificates (/usr/local/share/ca-certificates) and gets the same
# certificate variables (SSL_CERT_FILE, PIP_CERT, NODE_EXTRA_CA_CERTS, ...), as any machine there.
set -euo pipefail

root=$(realpath -m "${1:?usage: $0 ROOT [REPO]}")
repo=$(realpath "${2:-$(dirname "$0")/..}")
seeds=$(realpath "${SEEDS_DIR:-$repo/../shared/seeds}")
proof=$root/proof
chroot_path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

if [ ! -x "$root/usr/bin/python3" ]; then
  debootstrap --variant=minbase --include=python3,make,git,ca-certificates bookworm "$root"
fi
mkdir -p "$proof"

mounts=()
mount_into() {  # mount_into TYPE SOURCE TARGET [OPTIONS]
  mkdir -p "$root$3"
  mountpoint -q "$root$3" || mount ${4:+-o "$4"} -t "$1" "$2" "$root$3"
  mounts+=("$root$3")
}
cleanup() {
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[$i]}" 2>/dev/null || true; done
}
trap cleanup EXIT
mount_into proc proc /proc
mount_into sysfs sysfs /sys
mkdir -p "$root/dev" && { mountpoint -q "$root/dev" || mount --rbind /dev "$root/dev"; } && mounts+=("$root/dev")
mount_into tmpfs tmpfs /dev/shm mode=1777
cp /etc/resolv.conf "$root/etc/resolv.conf"

ca_env=()
for var in SSL_CERT_FILE SSL_CERT_DIR PIP_CERT NODE_EXTRA_CA_CERTS REQUESTS_CA_BUNDLE CURL_CA_BUNDLE; do
  [ -n "${!var:-}" ] && ca_env+=("$var=${!var}")
done
in_root() {
  chroot "$root" /usr/bin/env -i HOME=/root PATH=$chroot_path LANG=C.UTF-8 TERM=dumb "${ca_env[@]}" "$@"
}
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
  in_root update-ca-certificates >/dev/null 2>&1
fi

# another vendor's Node.js 20 with its own npm: this machine's package, repacked. npm updates
# itself in place, so the package's file list no longer matches what is installed: the working npm
# tree of this machine replaces the repacked one.
if ! in_root sh -c 'command -v node' >/dev/null; then
  node_version=$(dpkg-query -W -f='${Version}' nodejs)
  case "$node_version" in *nodesource*) ;; *) echo "this machine's nodejs ($node_version) is not NodeSource's" >&2; exit 1 ;; esac
  debs=$(mktemp -d)
  (cd "$debs" && dpkg-repack nodejs >"$proof/dpkg-repack.log" 2>&1)
  cp "$debs"/nodejs_*.deb "$root/tmp/"
  rm -rf "$debs"
  in_root apt-get update -qq
  in_root sh -c 'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq /tmp/nodejs_*.deb >/dev/null'
  rm -rf "$root/usr/lib/node_modules/npm"
  cp -a /usr/lib/node_modules/npm "$root/usr/lib/node_modules/npm"
fi

# the project: a fresh clone, with the source studies beside it as ../shared/seeds
rm -rf "$root/work"
mkdir -p "$root/work/shared"
git clone --quiet --no-local "$repo" "$root/work/main"
cp -r "$seeds" "$root/work/shared/seeds"

packages() { in_root dpkg-query -W -f='${Package}\n' | sort; }
{
  echo "fresh machine: Debian $(cat "$root/etc/debian_version"), $(in_root python3 --version)," \
       "node $(in_root node --version) and npm $(in_root npm --version)" \
       "from $(in_root dpkg-query -W -f='${Version}' nodejs)"
  for tool in chromium fc-list xelatex; do
    in_root sh -c "command -v $tool" >/dev/null && echo "  $tool: present" || echo "  $tool: absent"
  done
  echo "commit: $(git -C "$root/work/main" log -1 --format='%h %s')"
  echo "cores: $(nproc); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$proof/report.txt"

status=0
for target in ${FRESH_TARGETS:-book test}; do
  packages >"$proof/before-$target.txt"
  start=$(date +%s)
  if in_root sh -c "cd /work/main && make $target" >"$proof/make-$target.log" 2>&1; then result=passed; else result=FAILED; status=1; fi
  end=$(date +%s)
  packages >"$proof/after-$target.txt"
  {
    echo "make $target: $result in $((end - start)) s (load after: $(cut -d' ' -f1-3 /proc/loadavg))"
    echo "  installed by it: $(comm -13 "$proof/before-$target.txt" "$proof/after-$target.txt" | wc -l) Debian packages:" \
         "$(comm -13 "$proof/before-$target.txt" "$proof/after-$target.txt" | grep -E -x 'chromium|fonts-noto-cjk|fontconfig|npm|nodejs|python3-venv|python3\.11-venv|texlive-.*|latexmk|xindy|poppler-utils' | tr '\n' ' ')"
    tail -n 3 "$proof/make-$target.log" | sed 's/^/  | /'
  } | tee -a "$proof/report.txt"
  [ "$result" = passed ] || break
done
exit $status
