"""What other apps do with approved submissions: an app above ``forms`` (the exchange turning a
needs questionnaire into needs, ``asgm`` turning a baseline into a mining site) registers a
handler in its ``AppConfig.ready`` for a form id or a prefix of form ids; the approval action
calls each matching handler with the submission, in the approval's transaction."""

from collections.abc import Callable

_HANDLERS: list[tuple[str, Callable]] = []


def on_submission_approved(xml_form_id_prefix: str, handler: Callable) -> None:
    """Call ``handler(submission)`` when a submission of a form whose id is, or starts with,
    ``xml_form_id_prefix`` is approved."""
    if (xml_form_id_prefix, handler) not in _HANDLERS:
        _HANDLERS.append((xml_form_id_prefix, handler))


def handlers_for(xml_form_id: str) -> list[Callable]:
    return [handler for prefix, handler in _HANDLERS if xml_form_id.startswith(prefix)]


def announce_submission_approved(submission) -> None:
    for handler in handlers_for(submission.form.xml_form_id):
        handler(submission)
