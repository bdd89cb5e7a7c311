"""FILES: PDF documents, atomic writes and the build that ties load, plan, draw and write together.
May import every other part; nothing imports it except the CLI."""
