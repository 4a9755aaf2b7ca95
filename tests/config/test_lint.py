import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_ruff_is_clean():
    ruff = Path(sys.executable).parent / "ruff"
    result = subprocess.run([str(ruff), "check", "."], cwd=settings.BASE_DIR, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
