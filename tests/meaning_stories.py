"""Short multilingual news stories written for the meaning tests (not taken from any corpus): a German
story with its English and Chinese versions, a Chinese one with its English version, and stories on the same
topics about other events."""

GERMAN = (
    "Die Stadt Freiburg hat am Dienstag den Bau einer neuen Straßenbahnlinie zum Messegelände beschlossen. "
    "Der Gemeinderat stimmte mit 38 zu 9 Stimmen für das Projekt, das rund 74 Millionen Euro kosten soll. "
    "Die Linie soll 4,2 Kilometer lang werden und sieben neue Haltestellen erhalten. "
    "Oberbürgermeisterin Helga Brandt sprach von einem wichtigen Schritt für den Klimaschutz in der Region. "
    "Kritiker bemängeln dagegen, dass für die Trasse mehr als 200 Bäume gefällt werden müssen. "
    "Die Bauarbeiten sollen im Frühjahr 2027 beginnen und drei Jahre dauern.")
ENGLISH_TRANSLATION = (
    "The city of Freiburg decided on Tuesday to build a new tram line to the trade fair grounds. "
    "The city council voted 38 to 9 in favour of the project, which is expected to cost around 74 million euros. "
    "The line is to be 4.2 kilometres long and will get seven new stops. "
    "Mayor Helga Brandt spoke of an important step for climate protection in the region. "
    "Critics, on the other hand, complain that more than 200 trees will have to be felled for the route. "
    "Construction work is due to start in spring 2027 and last three years.")
# The same topic, another event: a tram line in another city, other people, numbers and dates.
GERMAN_OTHER_EVENT = (
    "In Karlsruhe ist die Verlängerung der Straßenbahn in die Nordweststadt am Samstag eröffnet worden. "
    "Verkehrsminister Jonas Weber fuhr bei der ersten Fahrt mit und lobte die kurze Bauzeit von 19 Monaten. "
    "Die neue Strecke ist 2,8 Kilometer lang und kostete 51 Millionen Euro. "
    "Anwohner feierten die Eröffnung mit einem Straßenfest, zu dem mehrere tausend Menschen kamen. "
    "Die Verkehrsbetriebe rechnen mit 9000 Fahrgästen pro Tag.")
CHINESE = (
    "昆明市政府周四宣布，将在滇池沿岸新建一座占地120公顷的湿地公园。"
    "该项目预计投资8亿元人民币，计划于2026年底完工。"
    "市长李明表示，公园将为候鸟提供重要的栖息地。"
    "公园内将修建15公里长的步道和三个观鸟台。"
    "环保组织对该计划表示欢迎，但呼吁加强水质监测。")
CHINESE_TRANSLATION = (
    "The Kunming city government announced on Thursday that it will build a 120-hectare wetland park along Dianchi Lake. "
    "The project is expected to cost 800 million yuan and is scheduled to be completed by the end of 2026. "
    "Mayor Li Ming said the park will provide an important habitat for migratory birds. "
    "A 15-kilometre footpath and three bird-watching platforms will be built in the park. "
    "Environmental groups welcomed the plan but called for stronger monitoring of water quality.")
ENGLISH_UNRELATED = (
    "The county cricket season opened on Saturday with a rain-shortened draw at the seaside ground. "
    "The home side's captain made an unbeaten half century before the weather closed in after lunch. "
    "Supporters packed the small pavilion and sheltered under umbrellas for most of the afternoon. "
    "The club's new overseas bowler took two wickets on debut and said the cold had surprised him. "
    "Both teams travel north next week for the second round of fixtures.")
# The Freiburg story in Chinese (a third version of it).
CHINESE_FREIBURG = (
    "弗莱堡市周二决定修建一条通往会展中心的新有轨电车线路。"
    "市议会以38票赞成、9票反对通过了该项目，预计耗资约7400万欧元。"
    "这条线路全长4.2公里，将新设七个车站。"
    "市长赫尔加·勃兰特称，这是该地区保护气候的重要一步。"
    "批评者则指出，为修建这条线路需要砍伐200多棵树。"
    "工程计划于2027年春季开工，为期三年。")
# The same city and subject on another day: a statement about the trams' ridership, with other people,
# numbers and dates.
ENGLISH_OTHER_STATEMENT = (
    "Freiburg's transport authority said on Friday that its trams carried a record 81 million passengers last year. "
    "Director Markus Stein credited the cheaper monthly pass introduced in 2024, which now costs 49 euros. "
    "Ridership on the line to the university rose by 12 percent, the authority said. "
    "It plans to buy 15 new low-floor trams by 2028 to cope with the growing demand. "
    "Passenger groups welcomed the figures but asked for more frequent services in the evenings.")

