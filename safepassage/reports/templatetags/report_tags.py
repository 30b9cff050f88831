"""How a figure's cells read on the page: dates as ISO dates, days to one decimal, a blank
duration as a dash, a suppressed count as it is ("<5")."""

import datetime

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def report_cell(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        return number_format(value, decimal_pos=1)
    return str(value)


@register.filter
def cells(row, columns):
    """Pairs (column, value) of a row, so the template can class numeric cells."""
    return zip(columns, row, strict=True)
