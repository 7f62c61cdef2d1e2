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


def _edit(root, lang, msgid, change):
    """Applies change(entry) to the entry of msgid in the core module's <lang>.po of the copy."""
    path = root / i18n.REPO.joinpath("lead_qualification_plus").name / "i18n" / f"{lang}.po"
    po = polib.pofile(str(path))
    entry = po.find(msgid)
    assert entry is not None, msgid
    change(po, entry)
    po.save()


def test_shipped_translations_pass():
    problems, report = _check(i18n.REPO)
    assert problems == 0, report
    assert {"pl", "it", "ru"} <= set(i18n.languages())


def test_every_module_has_every_language():
    for module in i18n.modules():
        assert {po.stem for po in i18n.translations_of(module)} >= {"pl", "it", "ru"}, module.name


@pytest.mark.parametrize(
    ("lang", "msgid", "change", "expected"),
    [
        ("pl", "Qualify", lambda po, entry: po.remove(entry), "missing term: 'Qualify'"),
        ("it", "Qualify", lambda po, entry: setattr(entry, "msgstr", ""), "untranslated: 'Qualify'"),
        ("ru", "Qualify", lambda po, entry: entry.flags.append("fuzzy"), "fuzzy: 'Qualify'"),
        (
            "pl",
            "Disqualified: %(reason)s",
            lambda po, entry: setattr(entry, "msgstr", "Zdyskwalifikowano: %(powod)s"),
            "placeholders differ",
        ),
        (
            "pl",
            "Disqualified: %(reason)s",
            lambda po, entry: setattr(entry, "msgstr", "Zdyskwalifikowano: %s"),
            "placeholders differ",
        ),
        (
            "ru",
            "Disqualified: %(reason)s",
            lambda po, entry: setattr(entry, "msgstr", "Дисквалифицирован"),
            "placeholders differ",
        ),
        (
            "it",
            "<strong>Qualifying this lead:</strong>",
            lambda po, entry: setattr(entry, "msgstr", "<strong>Qualificando questo lead:"),
            "tags differ",
        ),
        (
            "it",
            "<strong>Qualifying this lead:</strong>",
            lambda po, entry: setattr(entry, "msgstr", "<b>Qualificando questo lead:</b>"),
            "tags differ",
        ),
        (
            "pl",
            "Qualify",
            lambda po, entry: po.append(polib.POEntry(msgid="Not in the template", msgstr="Nie ma")),
            "term not in the template",
        ),
    ],
)
def test_check_fails_on_a_broken_copy(copy, lang, msgid, change, expected):
    problems, report = _check(copy)
    assert problems == 0, report
    _edit(copy, lang, msgid, change)
    problems, report = _check(copy)
    assert problems >= 1
    assert expected in report


def test_check_fails_on_a_placeholder_in_braces(copy):
    path = copy / "lead_qualification_plus" / "i18n" / "lead_qualification_plus.pot"
    pot = polib.pofile(str(path))
    pot.append(polib.POEntry(msgid="{count} leads", msgstr=""))
    pot.save()
    po_path = copy / "lead_qualification_plus" / "i18n" / "pl.po"
    po = polib.pofile(str(po_path))
    po.append(polib.POEntry(msgid="{count} leads", msgstr="Leady: {liczba}"))
    po.save()
    _problems, report = _check(copy)
    assert "pl.po: placeholders differ in '{count} leads': source {count}, translation {liczba}" in report


def test_check_fails_on_an_invalid_file(copy):
    path = copy / "lead_qualification_plus" / "i18n" / "ru.po"
    path.write_text(
        path.read_text(encoding="utf-8") + '\nmsgid "Qualify"\nmsgstr "Дубликат"\n', encoding="utf-8"
    )
    problems, report = _check(copy)
    assert problems >= 1
    assert "msgfmt --check" in report


def test_check_fails_on_a_missing_language_file(copy):
    (copy / "lead_qualification_plus_website_sale" / "i18n" / "it.po").unlink()
    problems, report = _check(copy)
    assert problems == 1
    assert "lead_qualification_plus_website_sale/i18n: no it.po" in report


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
