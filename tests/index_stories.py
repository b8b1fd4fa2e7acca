"""Short news stories written for the source-index tests (not taken from any corpus)."""

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
