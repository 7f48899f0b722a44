"""Every listener is registered here, in one place (the bolt-python template's layout).

Each module's `register(app)` adds its listeners and records them with `declare`, so
`registered(app)` lists what the app answers: the manifest test compares it with
manifest.json, both ways.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from slack_bolt import App

_REGISTERED: WeakKeyDictionary[App, list[tuple[str, str]]] = WeakKeyDictionary()


def declare(app: App, kind: str, name: str) -> None:
    """Record that `app` listens for a command ("/quote"), an event ("message.im") or an action."""
    _REGISTERED.setdefault(app, []).append((kind, name))


def registered(app: App) -> list[tuple[str, str]]:
    return list(_REGISTERED.get(app, []))


def register_listeners(app: App) -> None:
    from bot.slack.listeners import actions, commands, events

    commands.register(app)
    events.register(app)
    actions.register(app)
