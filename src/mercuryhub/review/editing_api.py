"""Writing entries of any kind through the API: drafts, edits checked against the version they
started from, submission, the secretariat's decisions and the versions. Each app declares its
kinds' input schemas and calls ``register_editing_routes`` once per kind; token authentication,
the same permissions as the web."""

from datetime import datetime

from django.utils.translation import get_language_info
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict, create_model

from mercuryhub.accounts.auth import token_auth
from mercuryhub.lib.api import ERROR_RESPONSES, ErrorBody, limit_texts
from mercuryhub.review import actions as review_actions
from mercuryhub.review import queries as review_queries
from mercuryhub.review import registry, translations
from mercuryhub.review.registry import EntryKind

RESPONSES = {**ERROR_RESPONSES, 409: ErrorBody}


class EntryState(Schema):
    id: int
    type: str
    name: str
    review_state: str
    published: bool
    version: int = Field(description="The latest version; send it back as `version` to edit")
    published_version: int | None
    return_reason: str
    data: dict = Field(description="The latest version's fields, in the import layout")
    url: str


class _Input(Schema):
    # A key the API does not know is refused, naming it, rather than dropped unsaid.
    model_config = ConfigDict(extra="forbid")


def texts_in(kind: EntryKind) -> type[Schema]:
    """The input every kind takes for its languages: ``content_language`` and its translatable
    texts in each language (``name_fr``…). A kind's input schema derives from it."""
    kind_name = kind.name
    fields = {
        "content_language": (
            str | None,
            Field(None, description="The language the entry's own texts are written in"),
        )
    }
    for name, field, language in translations.translation_keys(kind.translated_fields):
        language_name = get_language_info(language)["name"]
        fields[name] = (str | None, Field(None, description=f"`{field.name}` in {language_name}"))
    return create_model(f"{kind_name.capitalize()}Texts", __base__=_Input, **fields)


class ReasonIn(Schema):
    reason: str = Field(..., max_length=5000)


class RevertIn(Schema):
    version: int = Field(..., ge=1)


class VersionOut(Schema):
    number: int
    note: str
    created_by: str | None
    created_at: datetime
    published: bool
    data: dict


def _state(kind: str, entry) -> dict:
    return {
        "id": entry.pk,
        "type": kind,
        "name": entry.name,
        "review_state": entry.review_state,
        "published": entry.published,
        "version": entry.version,
        "published_version": entry.published_version,
        "return_reason": entry.return_reason,
        "data": review_queries.latest_data(kind, entry),
        "url": entry.get_absolute_url(),
    }


def _entry(request, kind: str, entry_id: int):
    return review_queries.get_entry_for_editor(request.auth, kind, entry_id)


def register_editing_routes(
    router: Router, plural: str, kind: str, schema_in, schema_patch, *, label: str, tags: list
) -> None:
    """The editing routes of one kind under ``/<plural>``: create, edit, delete, submit,
    validate, return, revert and the versions. Every text the schemas take is limited to the
    length its kind's model stores (``limit_texts``)."""
    for schema in (schema_in, schema_patch):
        limit_texts(schema, registry.get(kind).model)
    TAGS = tags  # noqa: N806 - read by the decorators below

    @router.post(
        f"/{plural}",
        response={201: EntryState, **RESPONSES},
        summary=f"Create a {label} as a draft",
        operation_id=f"create_{kind}",
        auth=token_auth,
        tags=TAGS,
    )
    def create(request, payload: schema_in):
        entry = review_actions.do_create_draft(kind, request.auth, payload.dict(exclude_unset=True))
        return Status(201, _state(kind, entry))

    @router.patch(
        f"/{plural}/{{entry_id}}",
        response={200: EntryState, **RESPONSES},
        summary=f"Edit a {label} (send the version you started from)",
        operation_id=f"update_{kind}",
        auth=token_auth,
        tags=TAGS,
    )
    def edit(request, entry_id: int, payload: schema_patch):
        entry = _entry(request, kind, entry_id)
        changes = payload.dict(exclude_unset=True)
        base_version = changes.pop("version")
        entry = review_actions.do_edit_entry(
            kind,
            request.auth,
            entry,
            changes,
            base_version=base_version,
        )
        return _state(kind, entry)

    @router.delete(
        f"/{plural}/{{entry_id}}",
        response={204: None, **RESPONSES},
        summary=f"Delete a {label}",
        operation_id=f"delete_{kind}",
        auth=token_auth,
        tags=TAGS,
    )
    def delete(request, entry_id: int):
        review_actions.do_remove_entry(kind, request.auth, _entry(request, kind, entry_id))
        return Status(204, None)

    def _decision(name, function, summary, schema=None):
        if schema is None:

            def endpoint(request, entry_id: int):
                entry = function(kind, request.auth, _entry(request, kind, entry_id))
                return _state(kind, entry)

        else:

            def endpoint(request, entry_id: int, payload: schema):
                value = payload.reason if schema is ReasonIn else payload.version
                entry = function(kind, request.auth, _entry(request, kind, entry_id), value)
                return _state(kind, entry)

        router.post(
            f"/{plural}/{{entry_id}}/{name}",
            response={200: EntryState, **RESPONSES},
            summary=summary,
            operation_id=f"{name}_{kind}",
            auth=token_auth,
            tags=TAGS,
        )(endpoint)

    _decision("submit", review_actions.do_submit_entry, f"Submit a {label} for review")
    _decision(
        "validate", review_actions.do_validate_entry, f"Validate and publish a {label} (reviewers)"
    )
    _decision(
        "return",
        review_actions.do_return_entry,
        f"Return a {label} with reasons (reviewers)",
        ReasonIn,
    )
    _decision(
        "revert", review_actions.do_revert_entry, "Restore an earlier version (reviewers)", RevertIn
    )

    @router.get(
        f"/{plural}/{{entry_id}}/versions",
        response={200: list[VersionOut], **RESPONSES},
        summary=f"Every version of a {label} (its editors and reviewers)",
        operation_id=f"list_{kind}_versions",
        auth=token_auth,
        tags=TAGS,
    )
    def versions(request, entry_id: int):
        entry = _entry(request, kind, entry_id)
        return [
            {
                "number": version.number,
                "note": version.note,
                "created_by": version.created_by.email if version.created_by else None,
                "created_at": version.created_at,
                "published": version.number == entry.published_version,
                "data": version.data,
            }
            for version in review_queries.entry_versions(kind, entry)
        ]
