#!/usr/bin/env bash
# Install, from Debian's packages, only what this machine lacks, each package detected by the
# command or file it provides. npm is asked for only when no working npm exists: another vendor's
# nodejs (NodeSource, say) ships its own npm and conflicts with Debian's.
#
#   tools/system-deps.sh book    fonts, Chromium, npm, venv support (make book / make test)
#   tools/system-deps.sh tex     XeLaTeX, xeCJK, latexmk, xindy, poppler (make pdf)
#   SYSTEM_DEPS_DRY_RUN=1 ...    print the packages that would be installed, one per line; no apt
set -euo pipefail

PYTHON=${PYTHON:-python3}
want=()
need() { want+=("$@"); }
has() { command -v "$1" >/dev/null 2>&1; }

case "${1:-book}" in
  book)
    has fc-list || need fontconfig
    # grep reads all of fc-list: grep -q would exit at the first match and, under pipefail, the
    # SIGPIPE that fc-list then gets would count the fonts as missing
    { has fc-list && fc-list ':lang=zh' family 2>/dev/null | grep 'Noto Sans CJK SC' >/dev/null; } || need fonts-noto-cjk
    has chromium || need chromium
    # a working npm is one that runs. Without one, Debian's npm is asked for only beside Debian's
    # own nodejs (or no node at all): another vendor's nodejs conflicts with it.
    if ! { has npm && npm --version >/dev/null 2>&1; }; then
      node_pkg=$(dpkg-query -W -f='${Version}' nodejs 2>/dev/null || true)
      if has node && { [ -z "$node_pkg" ] || [[ "$node_pkg" == *nodesource* ]]; }; then
        echo "system-deps: node is installed without a working npm, and not from Debian's packages;" \
             "install npm from the same vendor as node ($(command -v node))" >&2
        exit 1
      fi
      need npm
    fi
    "$PYTHON" -c 'import ensurepip' >/dev/null 2>&1 || need python3-venv
    ;;
  tex)
    has xelatex || need texlive-xetex
    has latexmk || need latexmk
    # Sphinx indexes an XeLaTeX book with xindy (latex_use_xindy); Debian ships it apart from TeX Live
    has xindy || need xindy
    has pdftoppm || need poppler-utils
    { has kpsewhich && kpsewhich xeCJK.sty >/dev/null 2>&1; } || need texlive-lang-chinese
    { has kpsewhich && kpsewhich tabulary.sty >/dev/null 2>&1; } || need texlive-latex-extra
    { has kpsewhich && kpsewhich fncychap.sty >/dev/null 2>&1; } || need texlive-latex-recommended
    # Zapf Dingbats (pifont, which sphinx.sty loads); tgtermes is in tex-gyre, only a recommendation
    { has kpsewhich && kpsewhich pzdr.tfm >/dev/null 2>&1; } || need texlive-fonts-recommended
    { has fc-list && fc-list ':lang=zh' family 2>/dev/null | grep 'Noto Serif CJK SC' >/dev/null; } || need fonts-noto-cjk
    ;;
  *) echo "usage: $0 book|tex" >&2; exit 2 ;;
esac

if [ "${SYSTEM_DEPS_DRY_RUN:-0}" = 1 ]; then
  printf '%s\n' "${want[@]+"${want[@]}"}"
  exit 0
fi
[ ${#want[@]} -eq 0 ] && exit 0
echo "installing from Debian's packages: ${want[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
