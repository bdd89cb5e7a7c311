"""The deck studio: ``dialoogkit studio``, a local web page to make, preview and print a deck.

In: a workspace folder (its deck files are the only storage) and the options of the command.
Out: a Starlette application (``app.create_app``) served by uvicorn on 127.0.0.1 (``server``).
Nothing here is imported by the library or by ``dialoogkit --help``: the web stack (Starlette,
uvicorn, Jinja2, ruamel.yaml) is loaded only when the studio starts.
"""
