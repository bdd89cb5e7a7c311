"""``dialoogkit serve``: the command IT runs to give a whole organisation the studio at one address.

In: the command line (``--host``, ``--port``, ``--database URL``, ``--data DIR``, ``--trusted-proxy
ADDRESS…``, ``--build-processes N``) and its ``admin`` commands (``cli_serve_admin``).
Out: the team server running until Ctrl-C, after the database is brought to the current migration;
the address it listens on, on stdout. The web stack and the database libraries load only here.
"""

from __future__ import annotations

from pathlib import Path

import click

from dialoogkit.cli_serve_admin import admin, database_options, open_current
from dialoogkit.cli_support import CONTEXT


@click.group("serve", invoke_without_command=True, context_settings=CONTEXT)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on (0.0.0.0: every network; usually a reverse proxy in front).")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535))
@click.option("--trusted-proxy", "trusted", multiple=True, metavar="ADDRESS",
              help="A reverse proxy whose Remote-User header names the signed-in account (single sign-on); "
                   "repeat for more. Off by default: the header is removed from every other request.")
@click.option("--build-processes", default=1, show_default=True, type=click.IntRange(1, 16),
              help="Worker processes that build kits, one build each at a time, at a lower priority than pages.")
@database_options
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, trusted: tuple[str, ...], build_processes: int,
          database_url: str | None, data_dir: Path) -> None:
    """Run the studio for a whole organisation: one address, teams, accounts, a database.

    \b
    Decks, results and their versions live in the database (SQLite in the data folder by default,
    PostgreSQL with --database); built kits and reports in the data folder. Create the first
    manager with `dialoogkit serve admin create-user`.

    \b
    Examples:
      dialoogkit serve admin create-user it@example.nl --team "Wijk Noord" --role beheerder
      dialoogkit serve --host 0.0.0.0 --port 8080
      dialoogkit serve --database postgresql://dialoogkit@db/dialoogkit --data /srv/dialoogkit
    """
    if ctx.invoked_subcommand is not None:
        return
    from dialoogkit.serve.database import default_database_url
    from dialoogkit.serve.server import ServeConfig, run_server

    database = open_current(database_url, data_dir)
    database.dispose()
    proxies = frozenset(part for value in trusted for part in value.replace(",", " ").split())
    config = ServeConfig(database_url or default_database_url(data_dir), data_dir.resolve(), host, port, proxies,
                         build_processes)
    run_server(config, click.echo)


serve.add_command(admin)


def register(main: click.Group) -> None:
    """Add ``serve`` (with ``serve admin``) to the command line."""
    main.add_command(serve)
