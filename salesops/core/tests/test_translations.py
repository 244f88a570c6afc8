"""The zh_Hans catalog (salesops/locale): complete, compiled, and used.

Every model, field and choice label of the project's own apps has a Chinese translation; the .po
has no untranslated or fuzzy entry and keeps every placeholder; the committed .mo holds exactly the
.po's messages; a page rendered for a signed-in user speaks Chinese.
"""

import gettext as gettext_module
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise

LC_MESSAGES = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"

# Labels that read the same in Chinese.
SAME_IN_CHINESE = {"ID", "PDF", "API"}

# Field names Django derives from the attribute name because the model gives no verbose_name:
# plain strings, never translated. They must get a gettext_lazy verbose_name in the model (and a
# catalog entry); remove each one here when that is done.
KNOWN_UNMARKED: set[str] = set()


def _project_models():
    for config in apps.get_app_configs():
        # The test-only kit app (workflow/tests/kitapp) never reaches a user.
        if config.name.startswith("salesops.") and ".tests." not in config.name:
            yield from config.get_models()  # without the auto-created many-to-many tables


def _labels():
    """(where, label) of every model name, concrete field name and choice label of the project."""
    for model in _project_models():
        meta = model._meta
        yield f"{meta.label}", meta.verbose_name
        yield f"{meta.label} (plural)", meta.verbose_name_plural
        for field in meta.concrete_fields:
            yield f"{meta.label}.{field.name}", field.verbose_name


def _choice_labels():
    for model in _project_models():
        for field in model._meta.concrete_fields:
            for value, label in field.flatchoices:
                if value not in (None, ""):
                    yield f"{model._meta.label}.{field.name}={value}", label


def _untranslated(items):
    missing = []
    for where, label in items:
        if where in KNOWN_UNMARKED:
            continue
        with translation.override("en"):
            english = str(label)
        with translation.override("zh-hans"):
            chinese = str(label)
        if chinese == english and english not in SAME_IN_CHINESE:
            missing.append(f"{where}: {english!r}")
    return missing


def test_every_model_and_field_name_has_a_chinese_translation():
    assert _untranslated(_labels()) == []


def test_every_choice_label_has_a_chinese_translation():
    labels = list(_choice_labels())
    assert labels  # roles, states, kinds...
    assert _untranslated(labels) == []


def test_the_known_unmarked_field_names_are_still_unmarked():
    """An entry of KNOWN_UNMARKED that is now marked for translation must leave the list."""
    where_to_label = dict(_labels())
    gone = KNOWN_UNMARKED - where_to_label.keys()
    marked = {where for where in KNOWN_UNMARKED & where_to_label.keys() if isinstance(where_to_label[where], Promise)}
    assert gone | marked == set()


# The .po, read simply: entries of comments, msgid, msgid_plural, msgstr / msgstr[n].

_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    return re.sub(r"\\(.)", lambda m: _ESCAPES[m.group(1)], text[1:-1])


def _read_po(path: Path) -> list[dict]:
    entries: list[dict[str, Any]] = []
    entry: dict[str, Any] | None = None
    key: Any = None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry is not None:
                entries.append(entry)
            entry, key = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "obsolete": False, "msgstr": {}}
        if line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if isinstance(key, tuple):
                entry["msgstr"][key[1]] += _unquote(line)
            else:
                entry[key] += _unquote(line)
        else:
            keyword, _space, rest = line.partition(" ")
            plural_form = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if plural_form:
                key = ("msgstr", int(plural_form.group(1)))
                entry["msgstr"][key[1]] = _unquote(rest)
            elif keyword == "msgstr":
                key = ("msgstr", 0)
                entry["msgstr"][0] = _unquote(rest)
            else:
                assert keyword in ("msgid", "msgid_plural", "msgctxt"), line
                key = keyword
                entry[key] = _unquote(rest)
    return entries


def _messages() -> list[dict]:
    return [e for e in _read_po(PO) if "msgid" in e and e["msgid"] != ""]


def _header() -> str:
    return next(e for e in _read_po(PO) if e.get("msgid") == "")["msgstr"][0]


def test_the_header_says_simplified_chinese_utf8_and_one_plural_form():
    header = _header()
    assert "Language: zh_Hans\n" in header
    assert "Content-Type: text/plain; charset=UTF-8\n" in header
    assert "Plural-Forms: nplurals=1; plural=0;\n" in header


def test_the_po_has_no_untranslated_fuzzy_or_obsolete_entry():
    entries = _read_po(PO)
    assert len(_messages()) > 400
    assert [e.get("msgid") for e in entries if "fuzzy" in e["flags"]] == []
    assert [e.get("msgid") for e in entries if e["obsolete"]] == []
    untranslated = [e["msgid"] for e in _messages() if not e["msgstr"] or not all(e["msgstr"].values())]
    assert untranslated == []
    assert [e["msgid"] for e in _messages() if "msgid_plural" in e and set(e["msgstr"]) != {0}] == []


_PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]")


def test_every_translation_keeps_the_placeholders():
    wrong = []
    for e in _messages():
        wanted = sorted(_PLACEHOLDER.findall(e["msgid"]))
        for text in e["msgstr"].values():
            if sorted(_PLACEHOLDER.findall(text)) != wanted:
                wrong.append(e["msgid"])
    assert wrong == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is not installed")
def test_msgfmt_accepts_the_po():
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", os.devnull, str(PO)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def test_the_committed_mo_holds_exactly_the_po_messages():
    """The .mo is compiled from the current .po (compilemessages after every change)."""
    with MO.open("rb") as handle:
        compiled = gettext_module.GNUTranslations(handle)._catalog
    expected = {}
    for e in _messages():
        key = e["msgid"] if "msgctxt" not in e else f"{e['msgctxt']}\x04{e['msgid']}"
        if "msgid_plural" in e:
            expected.update({(key, n): text for n, text in e["msgstr"].items()})
        else:
            expected[key] = e["msgstr"][0]
    compiled = {k: v for k, v in compiled.items() if k != ""}  # the header
    assert compiled == expected, "run compilemessages (see salesops/locale/README.md)"


@pytest.mark.django_db
def test_a_page_speaks_chinese(staff, web_client):
    client = web_client(staff.sales_a)
    assert "我的待办" in client.get("/tasks/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "My tasks" in client.get("/tasks/").content.decode()
