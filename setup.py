"""Build step that pyproject.toml cannot declare: a built caseapp must speak Danish and migrate.

Every build (`python -m build`, `pip install .`, `pip install -e .`) compiles each Danish catalogue
(`caseapp/**/translations/**/*.po`) into its `.mo` beside it, and puts the Alembic scripts
(`migrations/`, kept at the top of the checkout where each domain adds its revision) inside the
package as `caseapp/migrations`. The compiled catalogues are not in git, so nothing else makes them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import Command, setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
CATALOGUES = "caseapp/**/translations/**/*.po"


def compile_catalogues(source: Path, target: Path) -> list[Path]:
    """Write target/<same path>.mo for every catalogue under source; returns the files written."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(source.glob(CATALOGUES)):
        mo = target / po.relative_to(source).with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as fh:
            catalogue = read_po(fh)
        with mo.open("wb") as fh:
            write_mo(fh, catalogue)
        written.append(mo)
    return written


class CompileCatalogues(Command):
    """`python setup.py compile_catalogues`: compile them in the checkout (`make install` after a catalogue changed)."""

    description = "compile the Danish catalogues in place"
    user_options: list = []

    def initialize_options(self) -> None:
        pass

    def finalize_options(self) -> None:
        pass

    def run(self) -> None:
        compile_catalogues(ROOT, ROOT)


class BuildWithCatalogues(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            # The package is the checkout itself: the catalogues compile in place (*.mo is ignored by git).
            compile_catalogues(ROOT, ROOT)
            return
        build_lib = Path(self.build_lib)
        compile_catalogues(ROOT, build_lib)
        packaged = build_lib / "caseapp" / "migrations"
        shutil.rmtree(packaged, ignore_errors=True)
        shutil.copytree(ROOT / "migrations", packaged, ignore=shutil.ignore_patterns("__pycache__", "*.py[co]"))


setup(cmdclass={"build_py": BuildWithCatalogues, "compile_catalogues": CompileCatalogues})
