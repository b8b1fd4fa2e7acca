"""The model: the on-disk artifact (booster, manifest, calibration), where models live and which one is the
default, and the explanation of a verdict from the booster's contributions.

Resolving a model name to a directory happens in one place, `_registry.resolve_model_path`; `_artifact`
loads what it resolves, and `_promote` (which needs the loader to verify) writes to the registry.
"""

from __future__ import annotations

from ._artifact import (
    BOOSTER_FILE, LABELS, MANIFEST, PROTOCOL, RESIDUE_FEATURE, SPINNER_FEATURE, TRAINING_DATA_FILE, Decisions,
    Manifest, Model,
    TrainingData, import_xgboost_without_sklearn, load_model, residue_reaches, save_model, sha256_file,
    xgb_feature_names,
)
from ._calibration import Calibration
from ._registry import (
    DEFAULT_MODEL_NAME, bundled_models_dir, default_model_path, find_registered, list_models, registry_home,
    resolve_model_path,
)

__all__ = ["BOOSTER_FILE", "DEFAULT_MODEL_NAME", "LABELS", "MANIFEST", "PROTOCOL", "RESIDUE_FEATURE",
           "SPINNER_FEATURE", "TRAINING_DATA_FILE", "Calibration", "Decisions", "Manifest", "Model", "TrainingData",
           "bundled_models_dir", "default_model_path", "find_registered", "import_xgboost_without_sklearn",
           "list_models", "load_model", "registry_home", "residue_reaches", "resolve_model_path", "save_model", "sha256_file",
           "xgb_feature_names"]
