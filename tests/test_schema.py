"""`dialoogkit schema`: a JSON Schema that editors can use to check deck files."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from dialoogkit.cards.bundled import decks_folder, list_bundled
from dialoogkit.cli import main


@pytest.fixture(scope="module")
def schema() -> dict:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture(scope="module")
def validator(schema):
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def bundled_data(name: str) -> dict:
    return yaml.safe_load((decks_folder() / f"{name}.yaml").read_text(encoding="utf-8"))


def test_schema_is_valid_json_schema(schema):
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "dialoogkit deck"
    assert schema["type"] == "object"
    assert "lessons" in schema["then"]["required"]
    jsonschema.Draft202012Validator.check_schema(schema)


def test_a_deck_that_extends_needs_no_other_fields(schema):
    validator = jsonschema.Draft202012Validator(schema)
    assert not list(validator.iter_errors({"extends": "standaard", "region": "Noord", "select": ["actieve-bewoners", 2]}))
    assert list(validator.iter_errors({"region": "Noord"}))


def test_schema_uses_the_key_authors_write(schema):
    actions = schema["$defs"]["Actions"]["properties"]
    assert "self" in actions
    assert "own" not in actions


@pytest.mark.parametrize("name", list_bundled())
def test_every_bundled_deck_validates_against_the_schema(validator, name):
    errors = sorted(validator.iter_errors(bundled_data(name)), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_unknown_top_level_key_fails_validation(validator):
    data = bundled_data("standaard")
    data["lesons"] = data["lessons"]
    errors = list(validator.iter_errors(data))
    assert errors
    assert any("lesons" in e.message for e in errors)


def test_unknown_key_in_a_lesson_fails_validation(validator):
    data = bundled_data("standaard")
    lesson = data["lessons"][0]
    lesson["statment"] = lesson.pop("statement")
    messages = [e.message for e in validator.iter_errors(data)]
    assert any("statment" in m for m in messages)
    assert any("'statement' is a required property" in m for m in messages)


def test_missing_lessons_fails_validation(validator):
    data = bundled_data("standaard")
    del data["lessons"]
    messages = [e.message for e in validator.iter_errors(data)]
    assert "'lessons' is a required property" in messages


def test_too_few_questions_fails_validation(validator):
    data = copy.deepcopy(bundled_data("standaard"))
    data["lessons"][0]["questions"] = data["lessons"][0]["questions"][:2]
    assert not validator.is_valid(data)


def test_schema_option_o_writes_the_file(tmp_path, schema):
    target = tmp_path / "dialoogkit-deck.schema.json"
    result = CliRunner().invoke(main, ["schema", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.is_file()
    assert json.loads(target.read_text(encoding="utf-8")) == schema
    assert str(target) in result.output  # "Wrote …" on stderr


def test_schema_long_option_output_writes_the_file(tmp_path):
    target = tmp_path / "deck.schema.json"
    result = CliRunner().invoke(main, ["schema", "--output", str(target)])
    assert result.exit_code == 0, result.output
    written = json.loads(target.read_text(encoding="utf-8"))
    assert written["title"] == "dialoogkit deck"
