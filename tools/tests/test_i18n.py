"""The translation check of tools/i18n.py: the shipped translations pass it, and each kind of damage a
translation can suffer makes it fail, on a copy of the modules."""

import importlib.util
import io
import shutil
from pathlib import Path

import polib
import pytest

TOOL = Path(__file__).resolve().parent.parent / "i18n.py"
_spec = importlib.util.spec_from_file_location("lqp_i18n", TOOL)
i18n = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(i18n)


def _check(root):
    out = io.StringIO()
    return i18n.check(root, out), out.getvalue()


@pytest.fixture
def copy(tmp_path):
    """A copy of every module's i18n directory (the check reads nothing else but the manifest's presence)."""
    for module in i18n.modules():
        (tmp_path / module.name).mkdir()
        shutil.copy(module / "__manifest__.py", tmp_path / module.name)
        shutil.copytree(module / "i18n", tmp_path / module.name / "i18n")
    return tmp_path


def test_shipped_translations_pass():
    problems, report = _check(i18n.REPO)
    assert problems == 0, report
    assert {"pl", "it", "ru"} <= set(i18n.languages())


def test_every_module_has_every_language():
    for module in i18n.modules():
        assert {po.stem for po in i18n.translations_of(module)} >= {"pl", "it", "ru"}, module.name


def _edit(lang, msgid, change):
    """A damage: change(po, entry) on the entry of msgid in the core module's <lang>.po of a copy."""

    def damage(root):
        path = root / "lead_qualification_plus" / "i18n" / f"{lang}.po"
        po = polib.pofile(str(path))
        entry = po.find(msgid)
        assert entry is not None, msgid
        change(po, entry)
        po.save()

    return damage


def _placeholder_in_braces(root):
    """A new term with a placeholder in braces, translated with another name in it."""
    i18n_dir = root / "lead_qualification_plus" / "i18n"
    pot = polib.pofile(str(i18n_dir / "lead_qualification_plus.pot"))
    pot.append(polib.POEntry(msgid="{count} leads", msgstr=""))
    pot.save()
    po = polib.pofile(str(i18n_dir / "pl.po"))
    po.append(polib.POEntry(msgid="{count} leads", msgstr="Leady: {liczba}"))
    po.save()


def _duplicate_entry(root):
    path = root / "lead_qualification_plus" / "i18n" / "ru.po"
    path.write_text(
        path.read_text(encoding="utf-8") + '\nmsgid "Qualify"\nmsgstr "Дубликат"\n', encoding="utf-8"
    )


def _missing_language_file(root):
    (root / "lead_qualification_plus_website_sale" / "i18n" / "it.po").unlink()


# Each kind of damage a translation can suffer, what the check then reports and, where it is known, how many
# problems it counts (at least one otherwise).
DAMAGES = {
    "missing term": (_edit("pl", "Qualify", lambda po, entry: po.remove(entry)), "missing term: 'Qualify'"),
    "untranslated": (
        _edit("it", "Qualify", lambda po, entry: setattr(entry, "msgstr", "")),
        "untranslated: 'Qualify'",
    ),
    "fuzzy": (_edit("ru", "Qualify", lambda po, entry: entry.flags.append("fuzzy")), "fuzzy: 'Qualify'"),
    "renamed placeholder": (
        _edit(
            "pl",
            "Disqualified: %(reason)s",
            lambda po, entry: setattr(entry, "msgstr", "Zdyskwalifikowano: %(powod)s"),
        ),
        "placeholders differ",
    ),
    "positional placeholder": (
        _edit(
            "pl",
            "Disqualified: %(reason)s",
            lambda po, entry: setattr(entry, "msgstr", "Zdyskwalifikowano: %s"),
        ),
        "placeholders differ",
    ),
    "lost placeholder": (
        _edit(
            "ru", "Disqualified: %(reason)s", lambda po, entry: setattr(entry, "msgstr", "Дисквалифицирован")
        ),
        "placeholders differ",
    ),
    "unclosed tag": (
        _edit(
            "it",
            "<strong>Qualifying this lead:</strong>",
            lambda po, entry: setattr(entry, "msgstr", "<strong>Qualificando questo lead:"),
        ),
        "tags differ",
    ),
    "other tag": (
        _edit(
            "it",
            "<strong>Qualifying this lead:</strong>",
            lambda po, entry: setattr(entry, "msgstr", "<b>Qualificando questo lead:</b>"),
        ),
        "tags differ",
    ),
    "term not in the template": (
        _edit(
            "pl",
            "Qualify",
            lambda po, entry: po.append(polib.POEntry(msgid="Not in the template", msgstr="Nie ma")),
        ),
        "term not in the template",
    ),
    "placeholder in braces": (
        _placeholder_in_braces,
        "pl.po: placeholders differ in '{count} leads': source {count}, translation {liczba}",
    ),
    "invalid file": (_duplicate_entry, "msgfmt --check"),
    # One problem only: the languages of the other modules are still checked as they are.
    "missing language file": (
        _missing_language_file,
        "lead_qualification_plus_website_sale/i18n: no it.po",
        1,
    ),
}


@pytest.mark.parametrize("damage", DAMAGES)
def test_check_fails_on_a_damaged_copy(copy, damage):
    """The copy passes the check; damaged, it fails with what is wrong."""
    problems, report = _check(copy)
    assert problems == 0, report
    apply_damage, expected, *count = DAMAGES[damage]
    apply_damage(copy)
    problems, report = _check(copy)
    assert problems == count[0] if count else problems >= 1
    assert expected in report


def test_merge_creates_a_language_and_keeps_moved_terms(copy):
    """A new module gets every language, with the translations of the terms that moved into it."""
    core = copy / "lead_qualification_plus" / "i18n"
    new = copy / "lead_qualification_plus_new" / "i18n"
    new.mkdir(parents=True)
    (new.parent / "__manifest__.py").write_text("{}\n", encoding="utf-8")
    pot = polib.pofile(str(core / "lead_qualification_plus.pot"))
    moved = pot.find("Qualify")
    pot.remove(moved)
    pot.save()
    new_pot = polib.POFile()
    new_pot.metadata = dict(pot.metadata)
    new_pot.append(moved)
    new_pot.save(str(new / "lead_qualification_plus_new.pot"))
    i18n.merge(copy)
    for lang in ("pl", "it", "ru"):
        entry = polib.pofile(str(new / f"{lang}.po")).find("Qualify")
        assert (
            entry.msgstr
            == polib.pofile(str(i18n.REPO / "lead_qualification_plus" / "i18n" / f"{lang}.po"))
            .find("Qualify")
            .msgstr
        )
        assert not entry.fuzzy
        assert polib.pofile(str(new / f"{lang}.po")).metadata["Language"] == lang
        assert polib.pofile(str(core / f"{lang}.po")).find("Qualify") is None
    problems, report = _check(copy)
    assert problems == 0, report
