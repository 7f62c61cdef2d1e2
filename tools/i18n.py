#!/usr/bin/env python3
"""Translations of the addon's modules: merge them onto fresh templates, list what is left, check them.

Every ``lead_qualification_plus*`` directory with a ``__manifest__.py`` next to this script's parent is a
module; its ``i18n/<module>.pot`` is the template and every ``i18n/<lang>.po`` a translation of it.

    i18n.py merge [--memory DIR]   msgmerge every <lang>.po onto its template; a language any module has is
                                   created in the modules that lack it. Terms are looked up in every .po of
                                   the same language (a term that moved to another module keeps its
                                   translation) and in DIR/<lang>/*.po (translation memories) when given.
    i18n.py todo                   list the terms still untranslated or fuzzy, per file
    i18n.py check                  fail when a .po misses a term of its template, has an empty or fuzzy
                                   translation, a term its template lacks, a placeholder or tag the source
                                   does not have (or lacks one it has), or is invalid for msgfmt --check

``./harness i18n`` runs the template export, ``merge``, ``todo`` and ``check`` in that order;
``./harness lint`` runs ``check``. Needs polib (in Odoo's requirements) and GNU gettext (msgmerge, msgfmt).
"""

import argparse
import collections
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

REPO = Path(__file__).resolve().parent.parent
MODULE_GLOB = "lead_qualification_plus*"

# printf-style (%s, %d, %(name)s) and str.format / JavaScript fields ({name}, {0}, {}); %% is a literal.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc]|\{[A-Za-z0-9_.]*\}")
TAG = re.compile(
    r"<\s*(/?)\s*([A-Za-z][\w.-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*/?>"
)
ATTRIBUTE = re.compile(r"([^\s=>/]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")
# Attributes whose value is text for the reader: a translation translates them.
TRANSLATED_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "data-tooltip", "string", "help"}


def modules(root=REPO):
    """The module directories under root, by name."""
    return sorted(path for path in root.glob(MODULE_GLOB) if (path / "__manifest__.py").is_file())


def template_of(module):
    return module / "i18n" / f"{module.name}.pot"


def translations_of(module):
    return sorted((module / "i18n").glob("*.po"))


def languages(root=REPO):
    return sorted({po.stem for module in modules(root) for po in translations_of(module)})


def placeholders(text):
    return collections.Counter(PLACEHOLDER.findall(text.replace("%%", "")))


def tags(text):
    """The tags of a message as (closing, name, fixed attributes), translatable attribute values left out."""
    found = collections.Counter()
    for closing, name, attributes in TAG.findall(text):
        fixed = tuple(
            sorted(
                (key, "" if key in TRANSLATED_ATTRIBUTES else value)
                for key, value in ATTRIBUTE.findall(attributes)
            )
        )
        found[(closing, name.lower(), fixed)] += 1
    return found


def _describe(counter):
    return ", ".join(sorted(str(item) for item in counter.elements())) or "none"


def check_file(po_path, pot_entries):
    """The problems of one translation, as lines to print; none when it is complete and sound."""
    problems = []
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(po_path)], capture_output=True, text=True, check=False
    )
    if result.returncode:
        problems.append(f"msgfmt --check: {result.stderr.strip()}")
    try:
        po = polib.pofile(str(po_path))
    except (OSError, ValueError) as error:
        return [*problems, f"cannot be read: {error}"]
    if po.metadata.get("Language", "").split("_")[0] != po_path.stem.split("_")[0]:
        problems.append(f"header Language is {po.metadata.get('Language')!r}, the file is {po_path.name}")
    entries = {(entry.msgctxt, entry.msgid): entry for entry in po if not entry.obsolete}
    for key in pot_entries:
        if key not in entries:
            problems.append(f"missing term: {key[1]!r}")
    for key, entry in entries.items():
        where = f"{entry.msgid!r}"
        if key not in pot_entries:
            problems.append(f"term not in the template (run the merge): {where}")
            continue
        if entry.fuzzy:
            problems.append(f"fuzzy: {where}")
        if not entry.msgstr.strip():
            problems.append(f"untranslated: {where}")
            continue
        if placeholders(entry.msgid) != placeholders(entry.msgstr):
            problems.append(
                f"placeholders differ in {where}: source {_describe(placeholders(entry.msgid))}, "
                f"translation {_describe(placeholders(entry.msgstr))}"
            )
        if tags(entry.msgid) != tags(entry.msgstr):
            problems.append(f"tags differ in {where}: {entry.msgstr!r}")
    return problems


def check(root=REPO, out=sys.stdout):
    """Checks every translation of every module; returns the number of problems found."""
    count = 0
    for module in modules(root):
        pot_path = template_of(module)
        if not pot_path.is_file():
            print(f"{module.name}: no template {pot_path.name} (run ./harness pot)", file=out)
            count += 1
            continue
        pot_entries = {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(pot_path))}
        for po_path in translations_of(module):
            problems = check_file(po_path, pot_entries)
            for problem in problems:
                print(f"{module.name}/i18n/{po_path.name}: {problem}", file=out)
            count += len(problems)
        missing = set(languages(root)) - {po.stem for po in translations_of(module)}
        for lang in sorted(missing):
            print(f"{module.name}/i18n: no {lang}.po (run the merge)", file=out)
            count += 1
    return count


def _header_of_language(lang, root):
    """Language and Plural-Forms of a language, from a .po that has them."""
    for module in modules(root):
        po_path = module / "i18n" / f"{lang}.po"
        if po_path.is_file():
            metadata = polib.pofile(str(po_path)).metadata
            if metadata.get("Plural-Forms", "").strip():
                return {
                    "Language": metadata.get("Language") or lang,
                    "Plural-Forms": metadata["Plural-Forms"],
                }
    return {"Language": lang}


def merge(root=REPO, memory=None):
    """msgmerge every module's <lang>.po onto its template, with every .po of that language as compendium."""
    langs = sorted(
        set(languages(root))
        | ({path.name for path in memory.iterdir() if path.is_dir()} if memory else set())
    )
    with tempfile.TemporaryDirectory() as scratch:
        # A snapshot of every translation before any is rewritten: a term that moved from one module to
        # another is found in the old file of the first.
        compendia = collections.defaultdict(list)
        for lang in langs:
            for module in modules(root):
                po_path = module / "i18n" / f"{lang}.po"
                if po_path.is_file():
                    copy = Path(scratch) / f"{module.name}.{lang}.po"
                    shutil.copy(po_path, copy)
                    compendia[lang].append(copy)
            if memory and (memory / lang).is_dir():
                compendia[lang].extend(sorted((memory / lang).glob("*.po")))
        for lang in langs:
            headers = _header_of_language(lang, root)
            for module in modules(root):
                pot_path = template_of(module)
                if not pot_path.is_file():
                    raise SystemExit(f"{module.name}: no template {pot_path.name}: run ./harness pot first")
                po_path = module / "i18n" / f"{lang}.po"
                previous = po_path if po_path.is_file() else Path("/dev/null")
                command = ["msgmerge", "--quiet", "--previous", "-o", str(po_path)]
                for compendium in compendia[lang]:
                    command += ["--compendium", str(compendium)]
                subprocess.run([*command, str(previous), str(pot_path)], check=True)
                # Terms the template no longer has are kept by msgmerge as #~ entries: the snapshot above
                # already serves them to the other modules, the file keeps only its template's terms.
                po = polib.pofile(str(po_path))
                for entry in po.obsolete_entries():
                    po.remove(entry)
                po.metadata.update(headers)
                po.save()
                print(f"merged {module.name}/i18n/{lang}.po")


def todo(root=REPO, out=sys.stdout):
    """Lists the terms a translator still has to fill in; returns how many."""
    count = 0
    for module in modules(root):
        for po_path in translations_of(module):
            po = polib.pofile(str(po_path))
            left = [entry for entry in po if not entry.obsolete and (entry.fuzzy or not entry.msgstr.strip())]
            if not left:
                continue
            print(f"{module.name}/i18n/{po_path.name}: {len(left)} to translate", file=out)
            for entry in left:
                state = "fuzzy" if entry.fuzzy else "empty"
                print(f"  [{state}] {entry.msgid!r}", file=out)
            count += len(left)
    if not count:
        print("every term of every template is translated", file=out)
    return count


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    merge_parser = commands.add_parser("merge")
    merge_parser.add_argument("--memory", type=Path, help="translation memories: DIR/<lang>/*.po")
    commands.add_parser("todo")
    commands.add_parser("check")
    args = parser.parse_args(argv)
    if args.command == "merge":
        merge(memory=args.memory)
        return 0
    if args.command == "todo":
        todo()
        return 0
    problems = check()
    if problems:
        print(f"{problems} translation problem(s): see above", file=sys.stderr)
        return 1
    print(
        f"translations complete and sound: {', '.join(languages()) or 'none'} in {len(modules())} module(s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
