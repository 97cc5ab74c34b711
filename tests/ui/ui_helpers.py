"""Small helpers shared by the UI tests of the lesson screens."""

from textual.widgets import Static


def record_notifications(app) -> list[str]:
    """Messages the app shows as notifications from now on."""
    messages: list[str] = []
    original = app.notify

    def notify(message, *args, **kwargs):
        messages.append(str(message))
        return original(message, *args, **kwargs)

    app.notify = notify
    return messages


def text(app, selector: str) -> str:
    """The visible text of a Static on the current screen."""
    return str(app.screen.query_one(selector, Static).visual)
