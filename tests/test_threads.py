"""One Detector shared by 8 threads gives exactly the serial results (tiny model and bundled model)."""

from concurrent.futures import ThreadPoolExecutor


from conftest import REPO
from record_contract import BUNDLED_MODEL_DIR
from spindetect import Detector

EXAMPLES = REPO / "data" / "examples"
ORIGINAL = (EXAMPLES / "original.txt").read_text(encoding="utf-8")
SPUN = (EXAMPLES / "spun.txt").read_text(encoding="utf-8")
FARM = (EXAMPLES / "farm_copy.html").read_text(encoding="utf-8")
GERMAN = ("Der Stadtrat hat am Dienstag beschlossen, zwölf Kilometer geschützte Radwege durch die Innenstadt "
          "zu bauen, obwohl viele Ladenbesitzer dagegen protestiert haben.")
# A mix that exercises every path: text, HTML, failures, a non-English note, obfuscation, truncation.
DOCUMENTS = [ORIGINAL, SPUN, {"html": FARM}, ORIGINAL[:400], SPUN[::-1], "", {"text": 5}, GERMAN,
             ORIGINAL.replace("e", "\u0435").replace(" ", " \u200b"), ORIGINAL * 5] * 6


def _content(record: dict) -> dict:
    return {k: v for k, v in record.items() if k not in ("id", "input")}


def _assert_threads_match_serial(detector: Detector) -> None:
    serial = [_content(v.to_record()) for v in detector.score_many(DOCUMENTS)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        # same ids as score_many gives, so error messages (which name the document) compare equal
        threaded = list(pool.map(lambda i: _content(detector.score(DOCUMENTS[i], id=f"doc-{i}", explain=True)
                                                    .to_record()), range(len(DOCUMENTS))))
        threaded_short = list(pool.map(lambda i: _content(detector.score(DOCUMENTS[i], id=f"doc-{i}").to_record()),
                                       range(len(DOCUMENTS))))
    assert threaded_short == serial
    # explain=True only lengthens the reasons list; its head must be the same reasons in the same order
    for full, short in zip(threaded, serial):
        assert full["score"] == short["score"]
        assert full["reasons"][:len(short["reasons"])] == short["reasons"]


def test_eight_threads_agree_with_serial_tiny_model(tiny_model_dir):
    _assert_threads_match_serial(Detector.load(tiny_model_dir, max_chars=3_000))


def test_eight_threads_agree_with_serial_bundled_model():
    _assert_threads_match_serial(Detector.load(BUNDLED_MODEL_DIR, max_chars=3_000))


def test_no_mutable_module_globals_in_the_scoring_path(tiny_model_dir):
    """Module-level dicts, lists and sets in spindetect are constants or load-once caches (filled under a
    lock on first use). After a warm-up, scoring more documents must not change any of them."""
    import copy
    import importlib
    import pkgutil

    import spindetect

    detector = Detector.load(tiny_model_dir)
    list(detector.score_many(DOCUMENTS[:10]))  # warm-up: lazy resources load now
    modules = []
    for info in pkgutil.walk_packages(spindetect.__path__, "spindetect."):
        try:
            modules.append(importlib.import_module(info.name))
        except ImportError:
            # Only the scale-out integrations may be missing their extras (pip install spindetect[dask]).
            if not info.name.startswith("spindetect.integrations."):
                raise
    # Shallow copies: elements compare by identity first, so a load-once cache holding a parser compares
    # equal to itself while any added, removed or replaced entry shows.
    snapshot = {(m.__name__, name): copy.copy(value) for m in modules for name, value in vars(m).items()
                if isinstance(value, (dict, list, set, bytearray)) and not name.startswith("__")}
    assert snapshot, "found no module-level containers at all: the scan is broken"
    list(detector.score_many(DOCUMENTS[10:]))
    for (module_name, name), before in snapshot.items():
        after = vars(importlib.import_module(module_name))[name]
        assert after == before, f"{module_name}.{name} changed while scoring"
