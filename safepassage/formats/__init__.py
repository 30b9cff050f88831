"""Date formats per language, on top of Django's (settings.FORMAT_MODULE_PATH).

Only what differs from Django's own locale formats is here:
- English short dates are ISO 8601 (2025-01-09), never the US month/day order, which the
  parties of an exchange would misread.
- The first date input format of every language is ISO 8601, because `<input type="date">`
  takes and gives only that; the national forms (25.10.2006) are still accepted in text fields.
"""
