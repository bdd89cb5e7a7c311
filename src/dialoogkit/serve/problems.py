"""The errors of the serve data layer, in the house tree (``dialoogkit.errors``).

In: what went wrong (an e-mail address, a role, a team, a path, a sign-in).
Out: exceptions that click shows as ``Error: …`` in the user's language (messages in
``data/messages/<language>/serve.yaml``): ``AccountProblem`` (bad e-mail, role, password, unknown
account or team; exit status 2), ``SignInRefused`` (``reason``: "unknown", "wrong" or "locked"),
``PathRefused`` (a path outside the team's folder).
"""

from __future__ import annotations

from dialoogkit.errors import DialoogkitError, UsageProblem, quoted
from dialoogkit.i18n import say

SIGN_IN_REASONS = ("unknown", "wrong", "locked")


class AccountProblem(UsageProblem):
    """An account, team or role that cannot be used as asked; nothing was changed."""


class SignInRefused(DialoogkitError):
    """A sign-in that did not succeed; ``reason`` is "unknown", "wrong" or "locked". Show the
    same words for "unknown" and "wrong", so nobody learns which addresses have an account."""

    def __init__(self, reason: str):
        if reason not in SIGN_IN_REASONS:
            raise ValueError(reason)
        self.reason = reason
        super().__init__(say("serve.sign_in.locked") if reason == "locked" else say("serve.sign_in.refused"))


class PathRefused(DialoogkitError):
    """A path outside the team's folder (``..``, absolute elsewhere, through a link): refused."""

    def __init__(self, path: object):
        super().__init__(say("serve.store.outside", path=quoted(path, 120)))


def bad_email(email: str) -> AccountProblem:
    return AccountProblem(say("serve.account.bad_email", email=quoted(email)))


def bad_role(role: str) -> AccountProblem:
    return AccountProblem(say("serve.account.bad_role", role=quoted(role), roles="beheerder, maker, lezer"))


def short_password(minimum: int) -> AccountProblem:
    return AccountProblem(say("serve.account.short_password", minimum=minimum))


def unknown_account(email: str) -> AccountProblem:
    return AccountProblem(say("serve.account.unknown", email=quoted(email)))


def unknown_team(name: str) -> AccountProblem:
    return AccountProblem(say("serve.account.unknown_team", team=quoted(name)))


def bad_team_name(name: str) -> AccountProblem:
    return AccountProblem(say("serve.account.bad_team", team=quoted(name)))


def no_version(path: str, number: int) -> AccountProblem:
    return AccountProblem(say("serve.history.no_version", path=quoted(path, 120), number=number))
