"""Korean short dates as written in Korea (2025. 1. 9.)."""

SHORT_DATE_FORMAT = "Y. n. j."
SHORT_DATETIME_FORMAT = "Y. n. j. H:i"
