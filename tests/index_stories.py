"""Short news stories written for the source-index tests (not taken from any corpus)."""

from spindetect.text import Document


def doc(text: str, doc_id: str = "query") -> Document:
    """A story as the document the index is queried with."""
    return Document(id=doc_id, text=text)


BRIDGE = (
    "The Harlow County council announced on Tuesday that the new Millbrook bridge will open next spring. "
    "Officials said the project cost 40 million pounds and was delayed by severe flooding last winter. "
    "Local shopkeepers welcomed the decision, saying the closure had hurt trade badly. "
    "Councillor Maria Odell told reporters that engineers had finished testing the steel frame. "
    "Traffic on the old crossing has doubled since 2019, according to a survey by the county."
)

# A hand-spun copy: synonym swaps, names and numbers untouched, one sentence dropped.
BRIDGE_SPUN = (
    "The Harlow County council declared on Tuesday that the modern Millbrook bridge will open following spring. "
    "Authorities said the project expense 40 million pounds and was postponed by harsh flooding last winter. "
    "Local shopkeepers applauded the choice, stating the closure had injured trade badly. "
    "Councillor Maria Odell informed reporters that engineers had completed testing the steel frame."
)

ORCHESTRA = (
    "The Vellmore Symphony Orchestra will tour eleven cities in Japan this autumn, its director confirmed. "
    "Conductor Henrik Saltz said the musicians had rehearsed a programme of Sibelius and Dvorak for months. "
    "Tickets for the opening concert in Osaka sold out within two hours of going on sale. "
    "The tour is funded partly by a 2.5 million euro grant from the Arden Foundation."
)

FACTORY = (
    "A battery factory near Dunmere will create 1,200 jobs when it opens in 2027, the company Voltaxis said. "
    "The firm plans to supply cells to three carmakers across northern Europe. "
    "Union leader Priya Nandakumar praised the deal but warned that training programmes must start early. "
    "Building work on the 300 acre site is expected to begin in March."
)

UNRELATED = (
    "Gardeners across the region are being urged to water their lawns in the early morning. "
    "Experts say that evening watering encourages slugs and fungal disease in warm weather. "
    "A spokesperson for the horticultural society recommended mulching beds with bark or compost. "
    "Hosepipe bans remain unlikely this year after a wet spring, the water company added."
)

# A hand-written paraphrase of BRIDGE in the manner of an LLM rewrite: every sentence reworded and
# reordered, the names, numbers and rare terms kept.
BRIDGE_PARAPHRASE = (
    "Engineers have completed checks on the steel frame of the Millbrook bridge, Councillor Maria Odell "
    "has confirmed, and Harlow County expects the crossing to welcome traffic in the spring. "
    "Floods last winter pushed back the 40 million pound scheme. "
    "A county survey found that vehicles using the old crossing have doubled in number since 2019. "
    "Shop owners in the area were pleased, having lost custom while the route was shut."
)

# Five renderings of one wire story, written for the story-clustering tests: the original, a verbatim copy
# in page furniture, a synonym spin, a close translation (sentence for sentence, other words) and a loose
# rewrite (reordered, shortened, with an added line).
SUMMIT = (
    "Foreign ministers from Norland and Vestria met in Kalmar on Monday for talks on the disputed Oster "
    "pipeline. "
    "Minister Elena Varga said the 1,400 kilometre pipeline would carry 18 billion cubic metres of gas a "
    "year. "
    "Vestrian envoy Tomas Reyk called the meeting a moment of truth for both governments. "
    "The two sides agreed to meet again in Kalmar on 14 March after experts review the route. "
    "Protesters gathered outside the Kalmar town hall, demanding that the pipeline avoid the Oster "
    "wetlands."
)
SUMMIT_COPY = ("Home | News | World | Contact\n\n" + SUMMIT
               + "\n\nShare this: Facebook | Twitter\nLeave a comment\nNo comments yet.")
SUMMIT_SPUN = (
    "Foreign ministers from Norland and Vestria gathered in Kalmar on Monday for discussions on the "
    "contested Oster pipeline. "
    "Minister Elena Varga stated the 1,400 kilometre pipeline would transport 18 billion cubic metres of "
    "gas a year. "
    "Vestrian envoy Tomas Reyk termed the meeting a moment of truth for both governments. "
    "The two sides agreed to meet once more in Kalmar on 14 March after specialists examine the route. "
    "Demonstrators assembled outside the Kalmar town hall, insisting that the pipeline avoid the Oster "
    "wetlands."
)
SUMMIT_TRANSLATED = (
    "On Monday in Kalmar, the heads of diplomacy of Norland and Vestria held negotiations concerning the "
    "Oster pipeline, which is the subject of a dispute. "
    "According to Minister Elena Varga, the pipeline of 1,400 kilometres will transport each year 18 billion "
    "cubic metres of gas. "
    "The envoy of Vestria, Tomas Reyk, described the encounter as a moment of truth for the two executives. "
    "Both parties consented to a new meeting in Kalmar on 14 March, once specialists have studied the route. "
    "In front of the town hall of Kalmar, demonstrators assembled and demanded that the pipeline go around "
    "the Oster wetlands."
)
SUMMIT_REWRITTEN = (
    "A moment of truth: that is how Vestrian envoy Tomas Reyk described Monday's talks in Kalmar over the "
    "Oster pipeline. "
    "Outside the Kalmar town hall, protesters insisted the route must spare the Oster wetlands. "
    "Norland's Minister Elena Varga said the 1,400 kilometre line would deliver 18 billion cubic metres of "
    "gas every year, and the ministers will return to Kalmar on 14 March once experts have reviewed the "
    "route. "
    "Energy prices across the region have risen sharply this winter."
)
# Another story on the same topic, the next day, with the same people and places: it must stay apart.
SUMMIT_NEXT_DAY = (
    "Norland's parliament in Kalmar voted on Tuesday to delay funding for the Oster pipeline until 2027. "
    "Minister Elena Varga told lawmakers that 300 jobs depended on the project starting soon. "
    "Vestrian envoy Tomas Reyk said his government was disappointed and would seek 6 million in "
    "compensation. "
    "Opposition leader Jonas Brekk welcomed the vote as a victory for the Oster wetlands. "
    "The parliament will debate the pipeline again in September."
)

# Written for the index's story matches (issue #13): a close translation of ORCHESTRA (sentence for
# sentence, in order, other words), a loose rewrite of FACTORY (reordered, merged, reworded), and another
# story about the same orchestra with the same people, which must not be matched to ORCHESTRA.
ORCHESTRA_TRANSLATED = (
    "This autumn the Vellmore Symphony Orchestra is going on a journey through eleven Japanese cities, as "
    "confirmed by its director. "
    "For months, according to conductor Henrik Saltz, the players have been preparing works by Sibelius and "
    "Dvorak. "
    "In Osaka, all seats for the first evening were gone less than two hours after sales began. "
    "Part of the money for the journey comes from the Arden Foundation, which gave 2.5 million euros."
)
FACTORY_REWRITTEN = (
    "Voltaxis says 1,200 people will find work at its new battery plant outside Dunmere from 2027. "
    "Construction on the 300 acre plot should get under way in March. "
    "Priya Nandakumar, who leads the union, welcomed the news, though she insisted that training schemes "
    "be set up without delay. "
    "Cells made there are meant for three car manufacturers in the north of Europe."
)
ORCHESTRA_OTHER_STORY = (
    "The Vellmore Symphony Orchestra has cancelled its spring season after a dispute over pay, its board "
    "said. "
    "Conductor Henrik Saltz said he was saddened that 14 concerts in Vellmore would not go ahead. "
    "Musicians voted by 61 votes to 9 to reject the offer of a 3 per cent rise. "
    "The Arden Foundation said its support for the orchestra was under review."
)
