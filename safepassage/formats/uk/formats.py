"""ISO 8601 first for date inputs (`<input type="date">`), then Django's national forms."""

from django.conf.locale.uk import formats as _django

DATE_INPUT_FORMATS = ["%Y-%m-%d", *_django.DATE_INPUT_FORMATS]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", *_django.DATETIME_INPUT_FORMATS]
