"""A process starts without the heavy libraries only some requests need: every console command,
worker and server process pays for what it imports at start."""

import subprocess
import sys

HEAVY = ("matplotlib", "ortools", "fpdf", "pandas", "duckdb", "splink", "pyspark")

_PROBE = f"""
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safepassage.settings")
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns  # every view module, as the system checks load them
print(",".join(sorted(name for name in {HEAVY!r} if name in sys.modules)))
"""


def test_loading_every_view_imports_no_chart_solver_pdf_or_dataframe_library():
    result = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"imported at start: {result.stdout.strip()}"
