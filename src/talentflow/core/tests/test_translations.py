"""The Simplified Chinese catalogue: complete, consistent with the code, compiled, and in use."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

import talentflow

PACKAGE_DIR = Path(talentflow.__file__).resolve().parent
LC_MESSAGES = PACKAGE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES"
PO_PATH = LC_MESSAGES / "django.po"
MO_PATH = LC_MESSAGES / "django.mo"

# %(name)s, %s, %d, %.1f … (python-format); {name}, {0}, {} (brace-format); HTML tags and
# entities inside blocktranslate. "%%" is a literal percent sign, not a placeholder.
PLACEHOLDER = re.compile(
    r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdfirxXeEgGc]"
    r"|%[-#0 +]*\d*(?:\.\d+)?[sdfirxXeEgGc]"
    r"|\{[A-Za-z0-9_.]*\}"
    r"|</?[A-Za-z][^>]*>"
    r"|&[A-Za-z#0-9]+;"
)


def placeholders(text: str) -> Counter[str]:
    return Counter(PLACEHOLDER.findall(text.replace("%%", "")))


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(PO_PATH))


def _pairs(entries) -> set[tuple]:
    pairs = set()
    for entry in entries:
        if entry.obsolete or not entry.msgid:
            continue
        if entry.msgid_plural:
            translated = tuple(sorted(entry.msgstr_plural.items()))
        else:
            translated = entry.msgstr
        pairs.add((entry.msgctxt, entry.msgid, entry.msgid_plural, translated))
    return pairs


def test_header_declares_chinese_with_one_plural_form(catalogue):
    """The header names the language, UTF-8 and the single plural form of Chinese; not fuzzy."""
    assert catalogue.metadata["Language"] == "zh_Hans"
    assert "charset=UTF-8" in catalogue.metadata["Content-Type"]
    assert catalogue.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    assert catalogue.metadata["Language-Team"]
    assert not catalogue.metadata_is_fuzzy


def test_every_entry_is_translated_and_none_is_fuzzy_or_obsolete(catalogue):
    """Every msgid has a Chinese msgstr; no fuzzy or obsolete entry is left behind."""
    assert len(catalogue) > 600
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    assert untranslated == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    assert [e.msgid for e in catalogue.obsolete_entries()] == []
    for entry in catalogue:
        if entry.msgid_plural:
            # Chinese has one plural form: exactly msgstr[0], never a second one.
            assert list(entry.msgstr_plural) == [0], entry.msgid
            assert entry.msgstr_plural[0].strip(), entry.msgid


def test_translations_keep_every_placeholder(catalogue):
    """A msgstr has exactly the placeholders, tags and entities of its msgid."""
    mismatches = []
    for entry in catalogue:
        if entry.msgid_plural:
            # With nplurals=1 msgstr[0] serves every count, so it follows the plural msgid.
            expected, found = placeholders(entry.msgid_plural), placeholders(entry.msgstr_plural[0])
        else:
            expected, found = placeholders(entry.msgid), placeholders(entry.msgstr)
        if expected != found:
            mismatches.append((entry.msgid, dict(expected), dict(found)))
    assert mismatches == []


def test_placeholder_pattern_sees_what_it_must():
    """The placeholder check itself notices a dropped or renamed placeholder."""
    assert placeholders("%(n)d records, %(s).1f s") == Counter({"%(n)d": 1, "%(s).1f": 1})
    assert placeholders("{name} at 40%% and %s") == Counter({"{name}": 1, "%s": 1})
    assert placeholders("<strong>%(u)s</strong>&nbsp;") != placeholders("<b>%(u)s</b>")


def test_committed_mo_matches_the_po(catalogue, tmp_path):
    """django.mo is compiled from the current django.po (a fresh machine needs no msgfmt)."""
    assert MO_PATH.is_file(), "run compilemessages and commit django.mo"
    fresh_mo = tmp_path / "django.mo"
    catalogue.save_as_mofile(str(fresh_mo))
    expected = _pairs(polib.mofile(str(fresh_mo)))
    committed = _pairs(polib.mofile(str(MO_PATH)))
    assert committed == expected


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="makemessages needs GNU gettext")
def test_catalogue_covers_every_translatable_string_in_the_code(catalogue, tmp_path, monkeypatch):
    """makemessages over a copy of the code finds no msgid that the catalogue lacks."""
    source = tmp_path / "talentflow"
    shutil.copytree(
        PACKAGE_DIR,
        source,
        ignore=shutil.ignore_patterns("__pycache__", "locale", "static", "data", "*.mo", "*.po"),
    )
    (source / "locale").mkdir()
    monkeypatch.chdir(source)
    # Without LOCALE_PATHS, makemessages writes into the copy's own locale/ folder only.
    with override_settings(LOCALE_PATHS=[]):
        call_command(
            "makemessages",
            locale=["zh_Hans"],
            ignore_patterns=["tests/*", "*/tests/*"],
            verbosity=0,
        )
    extracted = polib.pofile(str(source / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    known = {(e.msgctxt, e.msgid) for e in catalogue}
    missing = sorted(e.msgid for e in extracted if (e.msgctxt, e.msgid) not in known)
    assert len(extracted) > 600
    assert missing == [], "run makemessages -l zh_Hans and translate the new entries"


NAV_ENGLISH = (
    "Home",
    "Talents",
    "Organisations",
    "Needs",
    "Outcomes",
    "Policies",
    "Points",
    "Evaluation",
    "Programmes",
    "Recognition",
    "Talent programmes",
    "Talent code",
    "Audit trail",
)


def _nav_links(html: str) -> list[str]:
    return re.findall(r'<a class="nav-link[^"]*"[^>]*>([^<]+)</a>', html)


@pytest.mark.parametrize("url_name", ["core:home", "directory:talent_list"])
def test_officer_pages_are_chinese_by_default(client, cast, url_name):
    """An officer whose browser asks for zh-hans sees the Chinese navigation and labels."""
    client.force_login(cast.officer_jiashan)
    response = client.get(reverse(url_name), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert _nav_links(html) == [
        "首页",
        "人才",
        "单位",
        "需求",
        "成果",
        "政策",
        "积分",
        "评价",
        "聘任联培",
        "互认",
        "人才计划",
        "人才码",
        "审计日志",
    ]
    assert not set(NAV_ENGLISH) & set(_nav_links(html))
    assert "退出登录" in html
    assert "Log out" not in html
    # The switcher offers English under its own name, not as 英语.
    assert 'value="en" lang="en">English</button>' in html
    assert "英语" not in html


@pytest.mark.parametrize("url_name", ["core:home", "directory:talent_list"])
def test_officer_pages_are_english_on_request(client, cast, url_name):
    """The same pages requested in English show the English msgids."""
    client.force_login(cast.officer_jiashan)
    response = client.get(reverse(url_name), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert _nav_links(html) == list(NAV_ENGLISH)
    assert "Log out" in html
    assert "退出登录" not in html


def test_talent_list_counts_in_chinese(client, cast):
    """The plural count line uses the Chinese catalogue's single plural form."""
    client.force_login(cast.officer_jiashan)
    response = client.get(reverse("directory:talent_list"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert re.search(r'id="talent-count">共 \d+ 名人才</p>', response.content.decode())
