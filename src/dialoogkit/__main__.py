"""Entry point for ``python -m dialoogkit``: hands over to the click CLI."""

from dialoogkit.cli import main

main()
