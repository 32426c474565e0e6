"""Language choice (the user's switch, else Danish), and the Danish message catalogues."""

import sys
from io import BytesIO
from pathlib import Path

from flask import current_app, has_request_context, request, session
from flask_login import current_user


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # the command line, cron: a message built there is still translatable
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if request.path.startswith("/api/"):
        return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    if getattr(current_user, "is_authenticated", False) and current_user.language in languages:
        return current_user.language
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


# Catalogues. Each package with pages (a domain, the register's pages, a platform part) keeps its own
# Danish catalogue beside its code (<package>/translations); everything else shares caseapp/translations.
# Messages are written in English in the code; Danish is the default locale.
PACKAGE_DIR = Path(__file__).resolve().parent
CATALOGUE_LOCALE = "da"
_METHOD_MAP = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
_KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}


def catalogue_areas() -> dict[str, Path]:
    """Area name (its package path, e.g. "domains/counselling") -> its source directory."""
    areas = {"shared": PACKAGE_DIR}
    for translations in sorted(PACKAGE_DIR.glob("*/**/translations")):
        src = translations.parent
        if (src / "__init__.py").exists():
            areas[str(src.relative_to(PACKAGE_DIR))] = src
    return areas


def translation_directories() -> str:
    """For BABEL_TRANSLATION_DIRECTORIES: every area's translations folder, relative to the package."""
    return ";".join(str((src / "translations").relative_to(PACKAGE_DIR)) for src in catalogue_areas().values())


def extract(area: str):
    """The messages used in one area's code and templates, as a babel Catalog."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    src = catalogue_areas()[area]
    catalog = Catalog(locale=None, project="caseapp")
    # An area's catalogue holds its own package's messages, never those of an area inside it.
    inner = [other for name, other in catalogue_areas().items() if other != src and src in other.parents]
    for filename, lineno, message, comments, context in extract_from_dir(
        src,
        method_map=_METHOD_MAP,
        keywords=_KEYWORDS,
        options_map={"**/templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}},
    ):
        path = src / filename
        if any(other in path.parents for other in inner):
            continue
        catalog.add(message, locations=[(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def po_path(area: str) -> Path:
    return catalogue_areas()[area] / "translations" / CATALOGUE_LOCALE / "LC_MESSAGES" / "messages.po"


def load_po(area: str):
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    path = po_path(area)
    if not path.exists():
        return Catalog(locale=CATALOGUE_LOCALE, project="caseapp")
    with path.open("rb") as fh:
        return read_po(fh, locale=CATALOGUE_LOCALE)


def missing(area: str) -> list[str]:
    """Messages used in the area with no Danish translation (or only a fuzzy one)."""
    po = load_po(area)
    gaps = []
    for message in extract(area):
        if not message.id:
            continue
        found = po.get(message.id, context=message.context)
        strings = found.string if found else None
        if isinstance(strings, tuple | list):
            ok = all(strings)
        else:
            ok = bool(strings)
        if not found or not ok or found.fuzzy:
            gaps.append(message.id if isinstance(message.id, str) else message.id[0])
    return gaps


def update(area: str) -> None:
    """Merge newly extracted messages into the area's .po (translations kept, obsolete dropped)."""
    from babel.messages.pofile import write_po

    po = load_po(area)
    po.update(extract(area), no_fuzzy_matching=True)
    po.obsolete.clear()
    path = po_path(area)
    out = BytesIO()
    write_po(out, po, width=120, omit_header=False, sort_output=True, include_lineno=False)
    # Unchanged messages leave the file alone (babel would stamp new dates in its header).
    if path.exists() and _without_dates(path.read_bytes()) == _without_dates(out.getvalue()):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


def _without_dates(po: bytes) -> bytes:
    dated = (b'"POT-Creation-Date', b'"PO-Revision-Date')
    return b"\n".join(line for line in po.splitlines() if not line.startswith(dated))


def fill(tsv: Path, areas: list[str] | None = None) -> int:
    """Set untranslated messages in the areas (default all) from 'English<TAB>Danish' lines."""
    from babel.messages.pofile import write_po

    pairs = dict(line.split("\t", 1) for line in tsv.read_text().splitlines() if "\t" in line)
    filled = 0
    for area in areas or catalogue_areas():
        po = load_po(area)
        changed = False
        for message in po:
            key = message.id if isinstance(message.id, str) else message.id[0]
            if message.id and not message.string and key in pairs:
                danish = pairs[key].strip()
                message.string = (danish, danish) if isinstance(message.id, tuple) else danish
                message.flags.discard("fuzzy")
                changed, filled = True, filled + 1
        if changed:
            with po_path(area).open("wb") as fh:
                write_po(fh, po, width=120, sort_output=True, include_lineno=False)
    return filled


if __name__ == "__main__":
    # python -m caseapp.i18n update [AREA ...] | fill FILE.tsv [AREA ...] | check [AREA ...]
    # (the build compiles the catalogues: setup.py)
    command, rest = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("check", [])
    if command == "fill":
        print(f"filled {fill(Path(rest[0]), rest[1:] or None)} messages")
    elif command == "update":
        for name in rest or catalogue_areas():
            update(name)
    else:
        gaps = {name: missing(name) for name in rest or catalogue_areas()}
        for name, ids in gaps.items():
            for msgid in ids:
                print(f"{name}: {msgid}")
        sys.exit(1 if any(gaps.values()) else 0)
