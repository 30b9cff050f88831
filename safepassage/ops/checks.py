"""Deployment checks (`safepassage check --deploy`): the keys production cannot run without.

The field keys and the pseudonym key are otherwise found missing at the first sealed value or
the first export; here the operator learns it before the first user does, and learns when a key
file sits in the data directory, where whoever copies the database copies the key too.
"""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

from safepassage.crypto import keys as field_keys
from safepassage.exports import pseudonyms


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


@register(Tags.security, deploy=True)
def production_keys_check(app_configs, **kwargs) -> list:
    if not settings.PRODUCTION:
        return []  # the embedded default makes its keys under var/ on first use
    problems: list = []
    keys = (
        ("safepassage.E001", "safepassage.W001", field_keys.keyring,
         field_keys.keys_are_inline(), Path(settings.FIELD_KEYS_FILE),
         "SAFEPASSAGE_FIELD_KEYS_FILE"),
        ("safepassage.E002", "safepassage.W002", pseudonyms.pseudonym_key,
         bool(settings.PSEUDONYM_KEY), Path(settings.PSEUDONYM_KEY_FILE),
         "SAFEPASSAGE_PSEUDONYM_KEY_FILE"),
    )  # fmt: skip
    for error_id, warning_id, load, inline, path, variable in keys:
        try:
            load()
        except ImproperlyConfigured as exc:
            problems.append(Error(str(exc), id=error_id))
            continue
        if not inline and _inside(path, Path(settings.VAR_DIR)):
            problems.append(
                Warning(
                    f"{path} is inside the data directory: a copy of the data takes the key "
                    "with it.",
                    hint=f"Keep the key elsewhere and set {variable} (docs/deploy.md).",
                    id=warning_id,
                )
            )
    return problems
