"""The documents an export produces, built from data the selectors already masked.

Builders hold no policy and make no query: they lay out what they are given (PDF through
`safepassage.lib.pdf`, CSV and XLSX through `safepassage.lib.spreadsheet`, which neutralises
formulas).
"""
