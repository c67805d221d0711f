"""Languages: the switcher every visitor sees, and a Spanish catalogue that stays sound."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

LOCALE = Path(settings.BASE_DIR) / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%|%[sd]")
FIELD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) (".*")$')


def read_po(path: Path) -> list[dict[str, str]]:
    """The entries of a .po file as {field: text}; enough of the format for these checks."""
    entries: list[dict[str, str]] = []
    entry: dict[str, str] = {}
    key = ""
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry:
                entries.append(entry)
            entry = {}
        elif match := FIELD.match(line):
            key = match.group(1)
            entry[key] = ast.literal_eval(match.group(2))
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
    return entries


def translated(entries: list[dict[str, str]]) -> list[dict[str, str]]:
    return [e for e in entries if e["msgid"] and (e.get("msgstr") or e.get("msgstr[0]"))]


@pytest.mark.parametrize("code", ["es"])
def test_every_language_has_a_catalogue(code: str) -> None:
    assert code in dict(settings.LANGUAGES)
    assert (LOCALE / code / "LC_MESSAGES" / "django.po").exists()


def test_translations_keep_their_placeholders() -> None:
    for entry in translated(read_po(LOCALE / "es" / "LC_MESSAGES" / "django.po")):
        if "msgid_plural" in entry:
            pairs = [("msgid", "msgstr[0]"), ("msgid_plural", "msgstr[1]")]
        else:
            pairs = [("msgid", "msgstr")]
        for source, target in pairs:
            wanted = sorted(PLACEHOLDER.findall(entry[source]))
            got = sorted(PLACEHOLDER.findall(entry[target]))
            assert got == wanted, entry


def test_the_compiled_catalogue_matches_the_po_file() -> None:
    """The .mo is committed (no gettext at run time): it must say what the .po says."""
    folder = LOCALE / "es" / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
    expected: dict[object, str] = {}
    for e in translated(read_po(folder / "django.po")):
        msgid = f"{e['msgctxt']}\x04{e['msgid']}" if "msgctxt" in e else e["msgid"]
        if "msgid_plural" in e:
            expected.update({(msgid, n): e[f"msgstr[{n}]"] for n in (0, 1)})
        else:
            expected[msgid] = e["msgstr"]
    catalog.pop("", None)  # the header
    assert catalog == expected, "run: python -m django compilemessages -l es --ignore=.venv"


def test_signed_out_visitors_can_switch_language(client: Client) -> None:
    page = client.get(reverse("accounts-login")).content.decode()
    assert '<label for="lang-switch">Language</label>' in page
    assert '<option value="es" lang="es" >Español</option>' in page
    response = client.post(reverse("set_language"), {"language": "es", "next": "/accounts/login/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    page = client.get(reverse("accounts-login")).content.decode()
    assert '<html lang="es">' in page and '<label for="lang-switch">Idioma</label>' in page
    assert "Iniciar sesión en Headway" in page and ">Cambiar</button>" in page


def test_the_switcher_refuses_an_unsafe_next_address(client: Client) -> None:
    response = client.post(
        reverse("set_language"), {"language": "es", "next": "https://evil.test/"}
    )
    assert response.status_code == 302 and "evil.test" not in response["Location"]
