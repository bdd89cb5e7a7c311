"""Labels for any language: a deck's own ``labels:``, checked for completeness, and
``dialoogkit labels`` to translate from."""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner

from dialoogkit.cards.labels import label_keys, labels_for, load_labels
from dialoogkit.cards.loader import load_deck
from dialoogkit.cli import main
from dialoogkit.errors import ContentError
from kitdecks import deck_data, write_deck


def polish_labels() -> dict[str, str]:
    """A complete table: each Dutch label with a Polish marker (enough to tell them apart)."""
    return {key: f"PL {text}" for key, text in load_labels("nl").items()}


def test_a_deck_in_a_language_without_labels_fails_listing_every_missing_key(tmp_path):
    data = deck_data(1)
    data["language"] = "pl"
    path = write_deck(tmp_path / "pl.yaml", data)
    with pytest.raises(ContentError) as caught:
        load_deck(path)
    (problem,) = [p for p in caught.value.problems if p.field == "language"]
    assert problem.file == str(path)
    assert problem.line == [n for n, line in enumerate(path.read_text().splitlines(), 1) if line.startswith("language:")][0]
    assert "missing label" in problem.message
    listed = problem.message.split("missing label", 1)[1]
    for key in label_keys():
        assert f" {key}," in listed or f" {key} (" in listed, key
    assert "dialoogkit labels nl" in problem.hint


def test_a_deck_with_some_labels_fails_listing_only_the_missing_ones(tmp_path):
    data = deck_data(1)
    labels = polish_labels()
    del labels["questions"], labels["sources"]
    data.update(language="pl", labels=labels)
    path = write_deck(tmp_path / "pl.yaml", data)
    with pytest.raises(ContentError) as caught:
        load_deck(path)
    (problem,) = caught.value.problems
    assert problem.field == "labels"
    assert "missing label questions, sources (2" in problem.message


def test_a_deck_with_its_labels_loads_and_prints_them(tmp_path):
    data = deck_data(1)
    data.update(language="pl", labels=polish_labels())
    loaded = load_deck(write_deck(tmp_path / "pl.yaml", data))
    labels = labels_for(loaded.deck)
    assert labels["questions"] == "PL Gespreksvragen"
    assert set(labels) == set(label_keys())


def test_unknown_label_keys_are_named(tmp_path):
    data = deck_data(1)
    data.update(language="pl", labels={**polish_labels(), "questons": "Pytania"})
    with pytest.raises(ContentError) as caught:
        load_deck(write_deck(tmp_path / "pl.yaml", data))
    (problem,) = caught.value.problems
    assert problem.field == "labels.questons"
    assert "questons" in problem.message and "questions" in problem.hint  # did you mean


def test_a_dutch_deck_may_override_single_labels(tmp_path):
    data = deck_data(1)
    data["labels"] = {"questions": "Vragen voor het gesprek"}
    labels = labels_for(load_deck(write_deck(tmp_path / "nl.yaml", data)).deck)
    assert labels["questions"] == "Vragen voor het gesprek"
    assert labels["self"] == load_labels("nl")["self"]
    assert labels_for(load_deck("standaard").deck) == load_labels("nl")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_labels_command_prints_a_complete_table_that_loads_back(tmp_path, language):
    result = CliRunner().invoke(main, ["labels", language])
    assert result.exit_code == 0, result.output
    table = yaml.safe_load(result.output)["labels"]
    assert table == dict(load_labels(language))
    data = deck_data(1)
    data.update(language="pl", labels=table)
    assert labels_for(load_deck(write_deck(tmp_path / "pl.yaml", data)).deck) == table


def test_the_labels_command_refuses_a_language_without_a_table():
    result = CliRunner().invoke(main, ["labels", "pl"])
    assert result.exit_code == 2
    assert "nl, en" in result.output
