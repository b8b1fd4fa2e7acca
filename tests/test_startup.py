"""Start-up: the score command imports nothing it does not use, and still scores (see issue 6)."""

import json
import subprocess
import sys

from conftest import REPO

# (xgboost itself imports scipy.sparse, which is quick; scikit-learn would bring scipy.stats and more.)
_HEAVY_UNUSED = ("sklearn", "textstat", "pyphen")


def test_score_command_skips_sklearn_and_textstat(tiny_model_dir, tmp_path):
    doc = tmp_path / "doc.txt"
    doc.write_text("The council met on Tuesday and agreed the budget for the coming year. Residents were pleased.")
    code = (
        "import sys\n"
        "from spindetect.cli import main\n"
        "try:\n"
        f"    main(['score', '--model', {str(tiny_model_dir)!r}, '--format', 'jsonl', {str(doc)!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print('LOADED', [m for m in {_HEAVY_UNUSED!r} if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True).stdout
    record_line, loaded_line = out.strip().splitlines()
    assert json.loads(record_line)["score"] is not None
    assert loaded_line == "LOADED []"


def test_sklearn_stays_importable_after_the_lean_xgboost_import():
    code = ("from spindetect.model import import_xgboost_without_sklearn\n"
            "import_xgboost_without_sklearn()\n"
            "import sklearn, xgboost\n"
            "print(sklearn.__name__, xgboost.Booster.__name__)\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["sklearn", "Booster"]
