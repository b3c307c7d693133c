"""The gettext catalogues in locale/: complete, free of fuzzy entries, placeholders kept,
accepted by msgfmt, and up to date with the strings in the source.

No database is needed; the up-to-date check runs makemessages on a copy of the tree."""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
LANGUAGES = ["zh_Hans", "en"]
CATALOGUES = {language: LOCALE / language / "LC_MESSAGES" / "django.po" for language in LANGUAGES}

# What makemessages must not see in the copy: the catalogues themselves, the virtualenv,
# runtime data, test output, version control and caches.
NOT_SOURCE = {
    "locale",
    ".venv",
    "data",
    "test-artifacts",
    ".git",
    ".hypothesis",
    ".ruff_cache",
    ".pytest_cache",
    "node_modules",
    "__pycache__",
}

# As `make messages` runs it: the PWA manifest is a JSON template with translated names.
MAKEMESSAGES_OPTIONS = ["--extension=html,txt,py,json", "--ignore=.venv", "--ignore=node_modules", "-v", "0"]

PYTHON_FORMAT = re.compile(r"%(?:\((\w+)\))?[#0\- +]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrs%]")
BRACE_FORMAT = re.compile(r"(?<!\{)\{(\w*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")
HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")


def entries(language):
    return [entry for entry in polib.pofile(str(CATALOGUES[language])) if not entry.obsolete]


def label(entry):
    return f"{entry.msgctxt}|{entry.msgid}" if entry.msgctxt else entry.msgid


def translations(entry):
    """Every msgstr of the entry, in plural-form order."""
    if entry.msgid_plural:
        return [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def named_placeholders(text):
    """The %(name)s and {name} placeholders, each with its conversion, as a set."""
    named = {match.group(0) for match in PYTHON_FORMAT.finditer(text) if match.group(1)}
    return named | {match.group(0) for match in BRACE_FORMAT.finditer(text)}


def positional_placeholders(text):
    """The %s-style placeholders, in order (their order is their meaning); %% excluded."""
    return [match.group(0) for match in PYTHON_FORMAT.finditer(text) if not match.group(1) and match.group(0) != "%%"]


@pytest.fixture(scope="module", params=LANGUAGES)
def language(request):
    return request.param


def test_catalogues_exist():
    for path in CATALOGUES.values():
        assert path.is_file(), f"{path} is missing: run `make messages`"


def test_headers_declare_language_charset_and_plurals():
    expected = {"zh_Hans": "nplurals=1; plural=0;", "en": "nplurals=2; plural=(n != 1);"}
    for language, path in CATALOGUES.items():
        catalogue = polib.pofile(str(path))
        assert not catalogue.metadata_is_fuzzy, f"{language}: the header is marked fuzzy"
        assert catalogue.metadata.get("Language") == language
        assert "charset=UTF-8" in catalogue.metadata.get("Content-Type", "")
        assert catalogue.metadata.get("Plural-Forms") == expected[language]


def test_every_entry_is_translated(language):
    untranslated = [label(entry) for entry in entries(language) if not all(s.strip() for s in translations(entry))]
    assert not untranslated, f"{language}: {len(untranslated)} entries without a translation: {untranslated}"


def test_plural_entries_have_one_form_per_plural(language):
    nplurals = {"zh_Hans": 1, "en": 2}[language]
    wrong = [
        label(entry) for entry in entries(language) if entry.msgid_plural and len(entry.msgstr_plural) != nplurals
    ]
    assert not wrong, f"{language}: plural entries without exactly {nplurals} msgstr forms: {wrong}"


def test_no_fuzzy_entries(language):
    fuzzy = [label(entry) for entry in entries(language) if "fuzzy" in entry.flags]
    assert not fuzzy, f"{language}: fuzzy entries are ignored at run time; check and unflag them: {fuzzy}"


def test_placeholders_are_kept(language):
    wrong = []
    for entry in entries(language):
        if not all(translations(entry)):
            continue  # reported by test_every_entry_is_translated
        if entry.msgid_plural:
            # The last form is the general one and must name every placeholder of the
            # plural msgid; a singular form may leave out the count ("one page").
            allowed = named_placeholders(entry.msgid) | named_placeholders(entry.msgid_plural)
            forms = translations(entry)
            for index, form in enumerate(forms):
                named = named_placeholders(form)
                general = index == len(forms) - 1
                if not named <= allowed or (general and named != named_placeholders(entry.msgid_plural)):
                    wrong.append((label(entry), form))
                if positional_placeholders(form) not in (
                    positional_placeholders(entry.msgid),
                    positional_placeholders(entry.msgid_plural),
                ):
                    wrong.append((label(entry), form))
        else:
            if named_placeholders(entry.msgstr) != named_placeholders(entry.msgid) or positional_placeholders(
                entry.msgstr
            ) != positional_placeholders(entry.msgid):
                wrong.append((label(entry), entry.msgstr))
    assert not wrong, f"{language}: placeholders differ from the msgid's: {wrong}"


def test_html_tags_are_kept(language):
    wrong = [
        (label(entry), form)
        for entry in entries(language)
        for form in translations(entry)
        if sorted(HTML_TAG.findall(form)) != sorted(HTML_TAG.findall(entry.msgid))
    ]
    assert not wrong, f"{language}: HTML tags differ from the msgid's: {wrong}"


ASCII_PUNCTUATION_BESIDE_HAN = re.compile(r"[\u4e00-\u9fff][,;:?!()]|[,;:?!()][\u4e00-\u9fff]")


def test_chinese_uses_full_width_punctuation():
    """，：；？！（） in Chinese text, as on official sites; ASCII only in codes and placeholders."""
    wrong = []
    for entry in entries("zh_Hans"):
        for form in translations(entry):
            text = BRACE_FORMAT.sub("X", PYTHON_FORMAT.sub("X", form))
            if ASCII_PUNCTUATION_BESIDE_HAN.search(text):
                wrong.append((label(entry), form))
    assert not wrong, f"zh_Hans: ASCII punctuation beside Chinese text: {wrong}"


def test_msgfmt_check_passes(language, tmp_path):
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt is missing: install gettext"
    mo = tmp_path / "django.mo"
    result = subprocess.run(
        [msgfmt, "--check", "-o", str(mo), str(CATALOGUES[language])], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    # Python's gettext reads what msgfmt wrote, plural formula included.
    with mo.open("rb") as handle:
        translation = gettext.GNUTranslations(handle)
    sample, expected = "Search", {"zh_Hans": "搜索", "en": "Search"}[language]  # a variable: not extracted
    assert translation.gettext(sample) == expected


def copy_source(destination):
    """The working tree as makemessages from the project root would see it."""
    for item in ROOT.iterdir():
        if item.name in NOT_SOURCE or item.name.endswith(".egg-info"):
            continue
        if item.is_dir():
            shutil.copytree(item, destination / item.name, ignore=shutil.ignore_patterns(*NOT_SOURCE, "*.pyc"))
        else:
            shutil.copy2(item, destination / item.name)
    (destination / "locale").mkdir()


def test_catalogues_hold_every_string_in_the_source(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    copy_source(source)
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", *MAKEMESSAGES_OPTIONS],
        cwd=source,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    extracted = polib.pofile(str(source / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    wanted = {label(entry): entry for entry in extracted if not entry.obsolete}
    for language in LANGUAGES:
        present = {label(entry) for entry in entries(language)}
        missing = sorted(set(wanted) - present)
        listing = "\n".join(
            f"  {name!r}  ({', '.join(f'{path}:{line}' for path, line in wanted[name].occurrences[:2])})"
            for name in missing
        )
        assert not missing, (
            f"locale/{language} lacks {len(missing)} string(s) that are in the source; "
            f"run `make messages` and translate them:\n{listing}"
        )
