"""CONTENT: what is said. Deck models, YAML loading with line numbers, validation, bundled decks
and label tables. Imports nothing from the other parts of dialoogkit."""
