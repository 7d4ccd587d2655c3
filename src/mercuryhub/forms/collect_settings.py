"""The address an app user's device is given, and ODK Collect's settings QR code for it: the
settings as JSON, zlib-deflated then base64-encoded (as ODK Central makes them), drawn as an
inline SVG on the server."""

import base64
import json
import zlib

import qrcode
import qrcode.image.svg
from django.urls import reverse

from mercuryhub.forms.models import AppUser


def server_url(base_url: str, app_user: AppUser) -> str:
    """The project's server address with the key in it, e.g.
    https://host/v1/key/TOKEN/projects/demo (Collect appends /formList and /submission)."""
    path = reverse("forms-openrosa-form-list", args=[app_user.token, app_user.project.slug])
    return base_url.rstrip("/") + path.removesuffix("/formList")


def collect_settings(url: str, app_user: AppUser) -> dict:
    return {
        "general": {
            "server_url": url,
            "form_update_mode": "match_exactly",
            "autosend": "wifi_and_cellular",
        },
        "admin": {},
        "project": {"name": f"{app_user.project.name} ({app_user.display_name})"},
    }


def settings_code(url: str, app_user: AppUser) -> str:
    """What the QR code holds: base64 of the zlib-deflated JSON settings."""
    text = json.dumps(collect_settings(url, app_user), separators=(",", ":"))
    return base64.b64encode(zlib.compress(text.encode())).decode("ascii")


def qr_svg(text: str) -> str:
    """The QR code of ``text`` as an inline <svg> element."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")
