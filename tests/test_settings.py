"""The settings object: every field read from its ``NEWSWATCH_<FIELD>`` variable, bad values refused."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest
from newswatch.errors import NewswatchError
from newswatch.settings import Settings, SettingsError, load_settings

# A valid value per annotation, different from every default, so reading it shows the variable works.
_SAMPLES = {"int": ("7", 7), "float": ("7.5", 7.5), "Path": ("/srv/x", Path("/srv/x"))}


def _sample(name: str, annotation: str) -> tuple[str, object]:
    if name == "robots_on_error":
        return "allow", "allow"
    if annotation.startswith("tuple"):
        return " a, b ,", ("a", "b")
    if annotation.startswith("Path"):
        return _SAMPLES["Path"]
    return _SAMPLES.get(annotation, ("sample-value", "sample-value"))


@pytest.mark.parametrize("field", fields(Settings), ids=lambda f: f.name)
def test_every_field_is_read_from_its_variable(field) -> None:  # type: ignore[no-untyped-def]
    raw, expected = _sample(field.name, str(field.type))
    settings = load_settings(environ={f"NEWSWATCH_{field.name.upper()}": raw})
    assert getattr(settings, field.name) == expected


def test_defaults_are_the_safe_ones() -> None:
    settings = load_settings(environ={})
    assert settings.allowed_networks == ()
    assert settings.robots_on_error == "disallow"
    assert settings.per_domain_concurrency == 1
    assert settings.database_url.startswith("sqlite:///")


def test_an_unusable_number_names_the_variable_and_is_a_bad_setting() -> None:
    with pytest.raises(NewswatchError) as caught:
        load_settings(environ={"NEWSWATCH_MAX_RETRIES": "two"})
    assert isinstance(caught.value, SettingsError) and isinstance(caught.value, ValueError)
    assert caught.value.kind == "bad_setting"
    assert "NEWSWATCH_MAX_RETRIES" in str(caught.value)


@pytest.mark.parametrize(
    "env",
    [{"NEWSWATCH_ROBOTS_ON_ERROR": "maybe"}, {"NEWSWATCH_READ_TIMEOUT": "-1"}],
)
def test_values_out_of_range_are_refused(env: dict[str, str]) -> None:
    with pytest.raises(SettingsError, match=next(iter(env))):
        load_settings(environ=env)


def test_overrides_win_over_the_environment() -> None:
    settings = load_settings({"NEWSWATCH_MAX_RETRIES": "4"}, environ={"NEWSWATCH_MAX_RETRIES": "9"})
    assert settings.max_retries == 4
