"""Compatibility: `from spindetect.registry_store import default_model_path` as earlier READMEs showed it.

Import `default_model_path` from `spindetect` (or `spindetect.model`) instead.

A package rather than a module file so that version control sees the old module as moved, not rewritten.
"""

from __future__ import annotations

from ..model._registry import default_model_path, find_registered, list_models, models_dir, registry_home

__all__ = ["default_model_path", "find_registered", "list_models", "models_dir", "registry_home"]
