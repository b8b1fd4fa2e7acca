"""The detector: documents in, calibrated verdicts with reasons out.

    det = Detector.load()                 # the bundled (or promoted) default model
    det.score("text ...")                 # -> Verdict
    det.score_many(["...", {"id": "a", "html": "<html>..."}])

A `Detector` holds no per-call state, so one instance may be shared by many threads. Each document is
scored in isolation: a failure on one becomes that document's error record and the rest of the batch goes
on.

The preparation and featurisation steps live in `spindetect.pipeline`, which training and the source index
use too; this module is the scoring class only.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

import numpy as np

from .errors import DocumentError
from .features.base import FeatureResult
from .features.boilerplate import chrome_only
from .features.fingerprint import Fingerprint
from .io._records import InputItem, as_input_item
from .model._artifact import Model, load_model
from .model._cascade import COPY_LABEL, MODES, load_deep_stage
from .model._explain import build_reasons
from .pipeline import DEFAULT_MAX_CHARS, featurize, featurize_stages, prepare_document
from .text._document import NO_INDEX, Document
from .text._language import identify
from .verdict import Verdict

logger = logging.getLogger(__name__)

__all__ = ["DEFAULT_BATCH_SIZE", "Detector"]

DEFAULT_BATCH_SIZE = 64


@dataclass
class _Prepared:
    """A document ready for features, or the reason it is not."""

    item: InputItem
    document: Document | None = None
    error: DocumentError | None = None
    note: str | None = None


class Detector:
    def __init__(self, model: Model, *, threshold: float | None = None, max_chars: int = DEFAULT_MAX_CHARS,
                 top_reasons: int = 5, check_language: bool = True, source_index=None, mode: str = "default"):
        """`source_index`: a `spindetect.index.SourceIndex`, or a path to one. With it, every record's
        `source` names the closest known original and the match feeds the classifier.

        `mode`: "fast" never runs the language model; "default" runs it where the fast model cannot clear a
        document; "deep" runs it on every document (`spindetect.model._cascade`). A model without a deep
        stage scores every mode as "fast"."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        if source_index is not None and not hasattr(source_index, "match"):
            from .index import SourceIndex

            source_index = SourceIndex.open(source_index)
        self.source_index = source_index
        self.model = model
        # None: the model's own thresholds (one per label where it has them); a number overrides them all.
        self.threshold_override = None if threshold is None else float(threshold)
        self.threshold = model.manifest.threshold if threshold is None else float(threshold)
        self.max_chars = max_chars
        self.top_reasons = top_reasons
        self.check_language = check_language
        self.mode = mode
        self.cascade = None if mode == "fast" else load_deep_stage(model)

    @classmethod
    def load(cls, model: str | os.PathLike | None = None, **options) -> Detector:
        """Load a model directory, a registered model by name, or (None) the default model."""
        return cls(load_model(model), **options)

    @property
    def model_ref(self) -> str:
        return self.model.ref

    @property
    def feature_names(self) -> list[str]:
        return self.model.manifest.feature_names

    # ------------------------------------------------------------------ public scoring API

    def score(self, document: str | dict | InputItem, *, id: str | None = None, explain: bool = False) -> Verdict:
        """Score one document: a text string, a dict `{"id"?, "text"|"html"}`, or an InputItem."""
        item = as_input_item(document, id or "doc")
        return next(self.score_items([item], explain=explain))

    def score_many(self, documents: Iterable[str | dict | InputItem], *, explain: bool = False,
                   batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[Verdict]:
        """Score many documents lazily, in order; one Verdict per document, failures included."""
        items = (as_input_item(doc, f"doc-{i}") for i, doc in enumerate(documents))
        return self.score_items(items, explain=explain, batch_size=batch_size)

    def score_items(self, items: Iterable[InputItem], *, explain: bool = False,
                    batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[Verdict]:
        return (verdict for verdict, _ in self.score_with_documents(items, explain=explain, batch_size=batch_size))

    def score_with_documents(self, items: Iterable[InputItem], *, explain: bool = False,
                             batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[tuple[Verdict, Document | None]]:
        """As `score_items`, each Verdict paired with the prepared Document it was scored on (None when the
        input could not be prepared). Evidence offsets index `Document.text`, the extracted and normalised
        text, so a view that marks evidence in place needs it (`spindetect.report`)."""
        batch: list[InputItem] = []
        for item in items:
            batch.append(item)
            if len(batch) >= batch_size:
                yield from self._score_batch(batch, explain)
                batch = []
        if batch:
            yield from self._score_batch(batch, explain)

    # ------------------------------------------------------------------ the pipeline (spindetect.pipeline)

    def prepare(self, item: InputItem) -> Document:
        """Decode-level input to a normalised Document; raises DocumentError."""
        return prepare_document(item, self.max_chars)

    def featurize(self, document: Document) -> tuple[np.ndarray, dict[str, FeatureResult]]:
        return featurize(self.model.families, document)

    # ------------------------------------------------------------------ internals

    def _score_batch(self, items: list[InputItem], explain: bool) -> Iterator[tuple[Verdict, Document | None]]:
        prepared = [self._prepare_safely(item) for item in items]
        rows: list[np.ndarray] = []
        results: list[dict[str, FeatureResult]] = []
        scored: list[_Prepared] = []
        for p in prepared:
            if p.document is None or p.error is not None or p.note is not None:
                continue
            try:
                vector, per_family = self.featurize(p.document)
            except Exception as exc:  # one document's bug must not sink the batch
                logger.debug("feature extraction failed for %s", p.item.id, exc_info=True)
                p.error = internal_error(p.item.input, "feature extraction failed", exc)
                continue
            rows.append(vector)
            results.append(per_family)
            scored.append(p)

        verdicts: dict[int, Verdict] = {}
        if scored:
            verdicts = self._verdicts_isolated(scored, rows, results, explain)
        for p in prepared:
            yield verdicts.get(id(p)) or self._unscored(p), p.document

    def _verdicts_isolated(self, scored: list[_Prepared], rows: list[np.ndarray],
                           results: list[dict[str, FeatureResult]], explain: bool) -> dict[int, Verdict]:
        """Predict the batch at once; if that fails, one by one so only the culprit gets an error record."""
        try:
            return {id(p): v for p, v in zip(scored, self._verdicts(scored, np.vstack(rows), results, explain))}
        except Exception:
            logger.debug("batch prediction failed; retrying document by document", exc_info=True)
        verdicts = {}
        for p, row, result in zip(scored, rows, results):
            try:
                verdicts[id(p)] = self._verdicts([p], row[None, :], [result], explain)[0]
            except Exception as exc:
                logger.debug("prediction failed for %s", p.item.id, exc_info=True)
                p.error = internal_error(p.item.input, "prediction failed", exc)
        return verdicts

    def _prepare_safely(self, item: InputItem) -> _Prepared:
        if item.error is not None:
            return _Prepared(item, error=item.error)
        try:
            document = self.prepare(item)
        except DocumentError as exc:
            return _Prepared(item, error=exc)
        except Exception as exc:
            logger.debug("preparing %s failed", item.id, exc_info=True)
            return _Prepared(item, error=internal_error(item.input, "could not prepare", exc))
        if self.source_index is not None:
            try:
                # An indexed original scored under its own id is not a copy of itself (a publisher's feed
                # indexed in the morning and crawled again in the afternoon).
                document.source_match = self.source_index.match(document, exclude=frozenset({document.id}))
            except Exception as exc:
                logger.debug("source-index match failed for %s", item.id, exc_info=True)
                return _Prepared(item, error=internal_error(item.input, "source-index lookup failed", exc))
        note = None
        if self.check_language:
            guess = identify(document.text)
            if not guess.is_english:
                note = (f"unsupported_language: detected '{guess.lang}' (confidence {guess.confidence:.2f}); "
                        "spindetect scores English text only")
        return _Prepared(item, document=document, note=note)

    def _verdicts(self, scored: list[_Prepared], matrix: np.ndarray, results: list[dict[str, FeatureResult]],
                  explain: bool) -> list[Verdict]:
        verdicts = self._stage_verdicts(self.model, scored, matrix, results, explain)
        if self.cascade is None:
            return verdicts
        labels = self.model.manifest.labels
        send_scores = self.cascade.send_scores(
            np.array([[v.probabilities.get(label, 0.0) for label in labels] for v in verdicts]).reshape(-1, len(labels)),
            np.array([v.score for v in verdicts]))
        if self.mode == "default":
            send_scores = self._with_article_doubt(scored, verdicts, send_scores)
        sent = np.flatnonzero(self.cascade.sends(send_scores, np.array([v.flagged for v in verdicts]),
                                                 np.array([v.label for v in verdicts]), self.mode))
        read = []  # the sent documents read to the end (the others were cleared after their first window)
        deep_rows, deep_results = [], []
        for row in sent:
            reading = self._deep_reading(matrix[row], scored[row].document)
            if reading is not None:
                read.append(row)
                deep_rows.append(reading[0])
                deep_results.append({**results[row], **reading[1]})
        if not read:
            return verdicts
        sent = np.asarray(read)
        deep = self._stage_verdicts(self.cascade.deep, [scored[row] for row in sent], np.vstack(deep_rows),
                                    deep_results, explain)
        for row, deep_verdict in zip(sent, deep):
            fast = verdicts[row]
            if self.cascade.takes_deep(fast.label, fast.flagged, deep_verdict.label, deep_verdict.flagged):
                verdicts[row] = _with_copy_finding(deep_verdict, fast) if fast.flagged else deep_verdict
        return verdicts

    def _deep_reading(self, fast_row: np.ndarray,
                      document: Document) -> tuple[np.ndarray, dict[str, FeatureResult]] | None:
        """The deep stage's row of a sent document and its language-model results; None when it was cleared
        on its first window (`Cascade.clears_early`): its fast verdict stands."""
        staged = self.cascade.reads_in_stages(self.mode)
        for lm_vector, lm_results, more in featurize_stages(self.cascade.lm_families, document):
            deep_row = np.concatenate([fast_row, lm_vector])
            if not more:
                return deep_row, lm_results
            if staged and self.cascade.clears_early(deep_row[None, :])[0]:
                return None
        raise AssertionError("featurize_stages ends with a stage that has no other after it")

    def _with_article_doubt(self, scored: list[_Prepared], verdicts: list[Verdict],
                            send_scores: np.ndarray) -> np.ndarray:
        """Send scores where an HTML page the fast model flagged as a copy is also sent on what the fast model
        says of its article alone. The page's furniture makes the model sure of the copy, which hides any doubt
        about the text: on spun copies under unseen themes the whole page's send score was below 0.001 for half
        of them, while their articles alone reach the send threshold as often as any document's text does
        (benchmarks/copy_recall.py). A text input has no article apart from its page, so it keeps its score."""
        rows = [i for i, verdict in enumerate(verdicts)
                if verdict.flagged and verdict.label == COPY_LABEL and scored[i].document.furniture]
        if not rows:
            return send_scores
        articles = np.vstack([featurize(self.model.families, replace(scored[i].document, furniture=()))[0]
                              for i in rows])
        probabilities, scores = self.model.scores(articles)
        raised = np.array(send_scores, dtype=float, copy=True)
        raised[rows] = np.maximum(raised[rows], self.cascade.send_scores(probabilities, scores))
        return raised

    def _stage_verdicts(self, model: Model, scored: list[_Prepared], matrix: np.ndarray,
                        results: list[dict[str, FeatureResult]], explain: bool) -> list[Verdict]:
        """One model's verdicts (the fast model's, or the deep stage's on the documents sent to it)."""
        labels = model.manifest.labels
        decisions = model.decide(matrix, self.threshold_override)
        if decisions.ungated.any():
            # Their verdict is the model's without the fingerprint; so are their reasons and evidence.
            matrix = model.without_fingerprint(matrix, decisions.ungated)
            results = [{name: result for name, result in found.items() if name != Fingerprint.name}
                       if ungated else found for found, ungated in zip(results, decisions.ungated)]
        contrast = model.contribution_contrast(matrix, decisions.label_index, decisions.against)
        verdicts = []
        for row, p in enumerate(scored):
            reasons = build_reasons(model, matrix[row], contrast[row], results[row],
                                    limit=None if explain else self.top_reasons,
                                    by_residue=bool(decisions.by_residue[row]),
                                    flagged=bool(decisions.flagged[row]),
                                    label=labels[decisions.label_index[row]])
            verdicts.append(Verdict(
                id=p.item.id, input=p.item.input, model=model.ref, score=float(decisions.scores[row]),
                flagged=bool(decisions.flagged[row]), label=labels[decisions.label_index[row]],
                probabilities={label: float(decisions.probabilities[row, i]) for i, label in enumerate(labels)},
                reasons=reasons, source=_source_record(p.document), syndication=_syndication_record(p.document),
                note=_scoring_note(p.document, _needs_index(p.document, bool(decisions.flagged[row]),
                                                            results[row]))))
        return verdicts

    def _unscored(self, p: _Prepared) -> Verdict:
        if p.error is not None:
            return Verdict(id=p.item.id, input=p.item.input, model=self.model_ref, error=p.error.to_dict())
        return Verdict(id=p.item.id, input=p.item.input, model=self.model_ref, flagged=False, note=p.note)


def _with_copy_finding(deep: Verdict, fast: Verdict) -> Verdict:
    """A fast copy the deep stage found spun or translated: the deep label names the page, and the record
    keeps what made it a copy (the fast model's reasons with page evidence, and a note)."""
    if fast.label == deep.label:
        return deep
    shown = {reason.feature for reason in deep.reasons}
    copy_reasons = [reason for reason in fast.reasons if reason.evidence and reason.feature not in shown]
    note = (f"also_copy: the fast model flagged this page as a copy (score {fast.score:.3f}); its text is "
            f"{deep.label}, which names it")
    return replace(deep, reasons=deep.reasons + copy_reasons, note=f"{deep.note}; {note}" if deep.note else note)


def internal_error(where: str, what: str, exc: Exception) -> DocumentError:
    """An unexpected failure on one document, as its error record; the message is bounded (no document dumps)."""
    detail = repr(exc)
    if len(detail) > 300:
        detail = detail[:300] + "…"
    return DocumentError("internal", f"{where}: {what}: {detail}")


def _source_record(document: Document) -> dict | None:
    match = document.source_match
    return match.to_record() if match is not None and match is not NO_INDEX else None


def _syndication_record(document: Document) -> list[dict] | None:
    return [credit.to_record() for credit in document.syndication] or None


# Below this many words a score is less reliable: the model learned from articles. Measured by
# benchmarks/short_texts.py on 150 BBC test-split articles cut to their first N words (clean news): 9.3%
# flagged at 60 words (mostly as "rewritten"), 1.3% at 120 words and whole.
SHORT_DOCUMENT_WORDS = 100


# A page holds a republishable article from this many words (a short post is not what farms copy whole).
NEEDS_INDEX_MIN_WORDS = 150


def _needs_index(document: Document, flagged: bool, results: dict[str, FeatureResult]) -> str | None:
    """The `needs_index` note for an article under site chrome, with no farm residue, scored without an
    index: a verbatim copy of it under a farm's template would read exactly as its original's own page does,
    so nothing in its words can clear it, and only an index of originals can say whether it is a copy."""
    boilerplate = results.get("boilerplate")
    if flagged or document.source_match is not NO_INDEX or boilerplate is None:
        return None
    if len(document.words) < NEEDS_INDEX_MIN_WORDS:
        return None
    chrome = chrome_only(boilerplate)
    if not chrome:
        return None
    return (f"needs_index: an article under site chrome ({', '.join(chrome)}) and no farm residue; a verbatim "
            "copy would read exactly like this, so only an index of originals can tell "
            "(spindetect score --index INDEX)")


def _scoring_note(document: Document | None, needs_index: str | None = None) -> str | None:
    """What the user should know about how far to trust this score: truncation, a main text that the
    extractor had to recover, a very short text, or a page only an index could clear."""
    if document is None:
        return None
    notes = [needs_index] if needs_index else []
    if document.truncated:
        notes.append("truncated: scored on a prefix of the document (see --max-chars)")
    if document.extraction_note:
        notes.append(document.extraction_note)
    words = len(document.words)
    if words < SHORT_DOCUMENT_WORDS:
        notes.append(f"short_document: {words} words; below {SHORT_DOCUMENT_WORDS} the score is less reliable "
                     f"(clean 60-word news leads are flagged about 9% of the time)")
    return "; ".join(notes) or None
