"""The word lists and word patterns that features and the source index share: one module, one of each.

Where two parts of spindetect used different lists or patterns, both are kept here under their own names
rather than unified: the shipped model was trained on the feature values each produces, and changing a
feature's word list changes its values. Unify a variant only together with a retrain.

Not here, on purpose: the translation family's function-word profile and its punctuation-aware tokeniser
(`features/translation.py`), which are the vocabulary of its learnt lexicon (`resources/style_lexicons.json`,
keyed by those words), and the training spinners' ASCII word pattern (`training/generators/spinners.py`),
which decides what our generators swap, not what spindetect measures.
"""

from __future__ import annotations

import re

__all__ = ["WORD_RE", "LETTER_WORD_RE", "LINE_WORD_RE", "FUNCTION_WORDS", "HEADLINE_FUNCTION_WORDS"]

# Words: letters with inner apostrophes or hyphens ("don't", "well-known"); numbers with separators. The
# tokeniser of `Document.words`, and of the source index's canonical forms.
WORD_RE = re.compile(r"[^\W\d_]+(?:['\u2019\-][^\W\d_]+)*|\d+(?:[.,:]\d+)*")
# Letter words joined by apostrophes only (no hyphens, no numbers): the words of plausibility's word pairs
# (the reference pair table was compiled with this pattern, `training/compile_reference.py`).
LETTER_WORD_RE = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
# Letter words with at most one apostrophe part: the words of page lines in the boilerplate family.
LINE_WORD_RE = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")

# Closed-class English words (articles, pronouns, prepositions, conjunctions, auxiliaries, determiners):
# collocations, plausibility and the source index's canonical forms and alignment.
FUNCTION_WORDS = frozenset("""
a about above across after against all along also although am among an and another any are around as at
be because been before being below between both but by can could did do does doing down during each
either every few for from had has have having he her here hers herself him himself his how i if in into
is it its itself just may me might mine more most must my myself neither no nor not of off on once one
only or other our ours ourselves out over own same shall she should so some such than that the their
theirs them themselves then there these they this those though through to too toward towards under
until up upon us very was we were what when where whether which while who whom whose why will with
within without would yet you your yours yourself yourselves
""".split())

# The boilerplate family's variant (a headline has some function words, a row of menu items has none).
# It differs from FUNCTION_WORDS by a few words ("again", "further", "now" in; "across", "may", "one", ...
# out); kept as it is because the boilerplate features were trained on it.
HEADLINE_FUNCTION_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having
he her here hers herself him himself his how i if in into is it its itself just me more most my myself no
nor not now of off on once only or other our ours ourselves out over own same she should so some such than
that the their theirs them themselves then there these they this those through to too under until up very
was we were what when where which while who whom why will with would you your yours yourself yourselves
""".split())
