"""The migration scripts, oldest first (``0001_initial``: the tables of ``dialoogkit.serve.models``)."""
