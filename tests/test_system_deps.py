"""tools/system-deps.sh selects only the missing Debian packages, and never npm beside another vendor's node.

Each case runs the script with ``SYSTEM_DEPS_DRY_RUN=1`` on a fake ``PATH`` holding stand-ins for
the commands it probes (``fc-list``, ``chromium``, ``node``, ``npm``, ``dpkg-query``, ``kpsewhich``
...), so the selection logic is tested without touching apt; a fake ``apt-get`` records any call.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from analysis.data import paths

SCRIPT = paths.PROJECT_ROOT / "tools" / "system-deps.sh"
BASH = shutil.which("bash") or "/bin/bash"
#: Real commands the script itself needs besides the probed ones.
PLUMBING = ("grep", "cat")

BOOK_ALL = ["fontconfig", "fonts-noto-cjk", "chromium", "npm", "python3-venv"]
TEX_ALL = [
    "texlive-xetex",
    "latexmk",
    "xindy",
    "poppler-utils",
    "texlive-lang-chinese",
    "texlive-latex-extra",
    "texlive-latex-recommended",
    "texlive-fonts-recommended",
    "fonts-noto-cjk",
]
DEBIAN_NODE = "18.19.0+dfsg-6~deb12u2"
NODESOURCE_NODE = "20.20.2-1nodesource1"
FONTS_SANS_SERIF = "Noto Sans CJK SC\nNoto Serif CJK SC\n"


class FakeMachine:
    """A folder of stand-in commands; :meth:`run` runs the script with it as the whole PATH."""

    def __init__(self, root: Path) -> None:
        self.bin = root / "bin"
        self.bin.mkdir()
        self.apt_log = root / "apt-calls"
        for name in PLUMBING:
            real = shutil.which(name)
            assert real, f"{name} is needed by the script"
            (self.bin / name).symlink_to(real)
        self.command("apt-get", f'echo "$@" >> {self.apt_log}')
        # no python by default: PYTHON points at one that has ensurepip (see with_python)
        self.python = self.command("python-ok", "exit 0")

    def command(self, name: str, body: str) -> Path:
        path = self.bin / name
        path.write_text(f"#!{BASH}\n{body}\n", encoding="utf-8")
        path.chmod(0o755)
        return path

    def dpkg_nodejs(self, version: str | None) -> None:
        """``dpkg-query -W -f='${Version}' nodejs``: the version, or not installed."""
        if version is None:
            self.command("dpkg-query", "echo 'dpkg-query: no packages found matching nodejs' >&2; exit 1")
        else:
            self.command("dpkg-query", f"printf '%s' '{version}'")

    def fonts(self, families: str) -> None:
        self.command("fc-list", f"printf '{families}'")

    def kpsewhich(self, found: tuple[str, ...]) -> None:
        cases = " ".join(found)
        self.command(
            "kpsewhich",
            f'for f in {cases}; do [ "$1" = "$f" ] && {{ echo "/texmf/$f"; exit 0; }}; done; exit 1',
        )

    def run(self, target: str, *, venv: bool = True) -> subprocess.CompletedProcess[str]:
        python = self.python if venv else self.command("python-noensurepip", "exit 1")
        env = {"PATH": str(self.bin), "SYSTEM_DEPS_DRY_RUN": "1", "PYTHON": str(python), "HOME": "/"}
        return subprocess.run(
            [BASH, str(SCRIPT), target], env=env, capture_output=True, text=True, timeout=60, check=False
        )

    def wanted(self, target: str, *, venv: bool = True) -> list[str]:
        done = self.run(target, venv=venv)
        assert done.returncode == 0, done.stderr
        assert not self.apt_log.exists(), "a dry run called apt-get"
        return done.stdout.split()


@pytest.fixture
def machine(tmp_path: Path) -> FakeMachine:
    return FakeMachine(tmp_path)


def full_book_machine(m: FakeMachine) -> None:
    m.fonts(FONTS_SANS_SERIF)
    m.command("chromium", "exit 0")
    m.command("node", "echo v20.20.2")
    m.command("npm", "echo 10.8.2")
    m.dpkg_nodejs(NODESOURCE_NODE)


# --- book -----------------------------------------------------------------------------------------


def test_bare_machine_gets_everything(machine: FakeMachine) -> None:
    machine.dpkg_nodejs(None)
    assert machine.wanted("book", venv=False) == BOOK_ALL


def test_complete_machine_gets_nothing(machine: FakeMachine) -> None:
    full_book_machine(machine)
    assert machine.wanted("book") == []


def test_other_vendors_node_with_its_npm_never_gets_debians_npm(machine: FakeMachine) -> None:
    # the fresh machine of the issue: NodeSource's nodejs 20 with its own npm, nothing else
    machine.command("node", "echo v20.20.2")
    machine.command("npm", "echo 10.8.2")
    machine.dpkg_nodejs(NODESOURCE_NODE)
    wanted = machine.wanted("book", venv=False)
    assert "npm" not in wanted
    assert wanted == ["fontconfig", "fonts-noto-cjk", "chromium", "python3-venv"]


def test_other_vendors_node_without_npm_stops_with_a_clear_message(machine: FakeMachine) -> None:
    full_book_machine(machine)
    (machine.bin / "npm").unlink()
    done = machine.run("book")
    assert done.returncode == 1
    assert "install npm from the same vendor as node" in done.stderr
    assert "npm" not in done.stdout.split()
    assert not machine.apt_log.exists()


def test_node_outside_any_package_without_npm_stops(machine: FakeMachine) -> None:
    # a node from a tarball or nvm: dpkg does not know it, and Debian's npm would bring its own nodejs
    full_book_machine(machine)
    (machine.bin / "npm").unlink()
    machine.dpkg_nodejs(None)
    done = machine.run("book")
    assert done.returncode == 1
    assert "not from Debian's packages" in done.stderr


def test_debians_node_without_npm_gets_debians_npm(machine: FakeMachine) -> None:
    full_book_machine(machine)
    (machine.bin / "npm").unlink()
    machine.dpkg_nodejs(DEBIAN_NODE)
    assert machine.wanted("book") == ["npm"]


def test_broken_npm_counts_as_missing(machine: FakeMachine) -> None:
    full_book_machine(machine)
    machine.command("npm", "exit 1")
    machine.dpkg_nodejs(DEBIAN_NODE)
    assert machine.wanted("book") == ["npm"]
    machine.dpkg_nodejs(NODESOURCE_NODE)
    assert machine.run("book").returncode == 1


def test_no_node_at_all_gets_debians_npm(machine: FakeMachine) -> None:
    full_book_machine(machine)
    (machine.bin / "npm").unlink()
    (machine.bin / "node").unlink()
    machine.dpkg_nodejs(None)
    assert machine.wanted("book") == ["npm"]


def test_fonts_detected_by_family(machine: FakeMachine) -> None:
    full_book_machine(machine)
    machine.fonts("DejaVu Sans\n")
    assert machine.wanted("book") == ["fonts-noto-cjk"]


def test_browser_and_venv_detected_separately(machine: FakeMachine) -> None:
    full_book_machine(machine)
    (machine.bin / "chromium").unlink()
    assert machine.wanted("book", venv=False) == ["chromium", "python3-venv"]


def test_real_install_asks_apt_for_the_missing_packages_only(machine: FakeMachine) -> None:
    full_book_machine(machine)
    (machine.bin / "chromium").unlink()
    env = {"PATH": str(machine.bin), "PYTHON": str(machine.python), "HOME": "/"}
    done = subprocess.run(
        [BASH, str(SCRIPT), "book"], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    calls = machine.apt_log.read_text(encoding="utf-8").splitlines()
    assert calls[0] == "update -qq"
    assert calls[1].split()[-1] == "chromium"
    assert "npm" not in calls[1].split()


# --- tex ------------------------------------------------------------------------------------------


def test_tex_bare_machine_gets_everything(machine: FakeMachine) -> None:
    assert machine.wanted("tex") == TEX_ALL


def test_tex_complete_machine_gets_nothing(machine: FakeMachine) -> None:
    for name in ("xelatex", "latexmk", "xindy", "pdftoppm"):
        machine.command(name, "exit 0")
    machine.kpsewhich(("xeCJK.sty", "tabulary.sty", "fncychap.sty", "pzdr.tfm"))
    machine.fonts(FONTS_SANS_SERIF)
    assert machine.wanted("tex") == []


def test_tex_each_package_detected_by_what_it_provides(machine: FakeMachine) -> None:
    machine.command("xelatex", "exit 0")
    machine.command("xindy", "exit 0")
    machine.kpsewhich(("xeCJK.sty", "fncychap.sty", "pzdr.tfm"))
    # the sans font alone (from the book's set-up) is not the serif the PDF needs
    machine.fonts("Noto Sans CJK SC\n")
    assert machine.wanted("tex") == ["latexmk", "poppler-utils", "texlive-latex-extra", "fonts-noto-cjk"]


def test_unknown_target_is_refused(machine: FakeMachine) -> None:
    done = machine.run("pdf")
    assert done.returncode == 2
    assert "usage" in done.stderr


def test_script_is_executable() -> None:
    assert os.access(SCRIPT, os.X_OK)


def test_fonts_listed_first_of_many_are_found(machine: FakeMachine) -> None:
    # fc-list goes on writing after the match: the check must not take its SIGPIPE for "missing"
    full_book_machine(machine)
    many = "i=0; while [ $i -lt 3000 ]; do printf '%0100d\\n' $i; i=$((i+1)); done"
    machine.command("fc-list", f"printf 'Noto Sans CJK SC\\n'; {many}")
    assert machine.wanted("book") == []
