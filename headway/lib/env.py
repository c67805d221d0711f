"""Typed readers for settings that come from the environment.

Every reader raises ImproperlyConfigured with the variable's name and what was
expected, so a typo in a deployment fails at start with a clear message instead
of misbehaving later. Each name read is recorded in ``READ`` so a test can check
that every setting is documented.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

READ: set[str] = set()

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str, env: Mapping[str, str] | None) -> str | None:
    READ.add(name)
    return (os.environ if env is None else env).get(name)


def envstr(name: str, default: str, env: Mapping[str, str] | None = None) -> str:
    value = _raw(name, env)
    return default if value is None else value.strip()


def envbool(name: str, default: bool, env: Mapping[str, str] | None = None) -> bool:
    value = _raw(name, env)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r}: expected one of true/false, yes/no, on/off, 1/0."
    )


def envint(
    name: str,
    default: int,
    env: Mapping[str, str] | None = None,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int:
    value = _raw(name, env)
    if value is None or not value.strip():
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r}: expected a whole number.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number}: must be at least {minimum}.")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name}={number}: must be at most {maximum}.")
    return number


def envlist(name: str, default: Sequence[str], env: Mapping[str, str] | None = None) -> list[str]:
    value = _raw(name, env)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def envchoice(
    name: str, default: str, choices: Sequence[str], env: Mapping[str, str] | None = None
) -> str:
    value = envstr(name, default, env).lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r}: expected one of {', '.join(choices)}.")
    return value


def envsecret(name: str, default: str, env: Mapping[str, str] | None = None) -> str:
    """Read NAME, or the contents of the file named by NAME_FILE (for container secrets)."""
    file_name = _raw(f"{name}_FILE", env)
    if file_name:
        path = Path(file_name)
        try:
            return path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"{name}_FILE={file_name!r}: cannot read the file ({exc.strerror})."
            ) from None
    return envstr(name, default, env)
