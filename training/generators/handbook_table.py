"""A hand-written spinner thesaurus for the held-out `handbook` family.

Written for this project (no source copied) in the manner of commercial article spinners' word choices:
common news words mapped to stiffer, rarer or slightly-off equivalents ("said" -> "expressed", "company" ->
"organization", "people" -> "individuals"). Inflected forms are listed as their own entries, as spinner
tables do, so no inflection logic is needed. It shares no code or data with the Moby-based families, which is
the point of holding it out.
"""

from __future__ import annotations

HANDBOOK_TEXT = """
said: expressed|stated|uttered|mentioned|revealed
says: expresses|states|mentions|reveals
saying: expressing|stating|mentioning
say: express|state|mention
told: informed|instructed|advised
tell: inform|advise|notify
company: organization|firm|enterprise|business
companies: organizations|firms|enterprises
firm: organization|agency|outfit
firms: organizations|agencies|outfits
government: administration|authorities|regime
people: individuals|folks|persons|men and women
person: individual|particular person
year: 12 months|twelve months|calendar year
years: many years|decades|yrs
new: brand new|fresh|novel|modern
old: aged|previous|outdated
big: massive|large|huge|substantial
large: sizeable|massive|big|substantial
small: little|tiny|modest|compact
good: great|excellent|decent|fine
bad: terrible|poor|awful|unfavorable
important: crucial|essential|vital|significant
major: main|leading|key|huge
help: assist|aid|support
helped: assisted|aided|supported
helping: assisting|aiding|supporting
use: utilize|employ|make use of
used: utilized|employed|made use of
using: utilizing|employing|making use of
make: create|produce|generate
made: created|produced|generated
making: creating|producing|generating
get: obtain|acquire|receive|gain
got: obtained|acquired|received
getting: obtaining|acquiring|receiving
show: demonstrate|display|exhibit
shows: demonstrates|displays|exhibits
showed: demonstrated|displayed|exhibited
think: believe|consider|imagine
thinks: believes|considers
thought: believed|considered|imagined
want: wish|desire|need
wants: wishes|desires|needs
wanted: wished|desired|needed
buy: purchase|acquire|obtain
bought: purchased|acquired|obtained
sell: market|offer|trade
sold: marketed|offered|traded
start: begin|commence|launch|initiate
started: began|commenced|launched|initiated
begin: commence|start|initiate
began: commenced|started|initiated
end: finish|conclusion|close
ended: finished|concluded|closed
plan: strategy|scheme|program
plans: strategies|schemes|programs
planned: prepared|scheduled|organized
problem: issue|difficulty|trouble
problems: issues|difficulties|troubles
issue: problem|concern|matter
issues: problems|concerns|matters
country: nation|state|land
countries: nations|states|lands
world: globe|planet|earth
global: worldwide|international|international
market: marketplace|industry|sector
markets: marketplaces|industries|sectors
price: cost|value|rate
prices: costs|values|rates
money: cash|funds|dollars
cost: price|expense|expenditure
costs: prices|expenses|expenditures
increase: rise|boost|improve|enhance
increased: elevated|boosted|improved|enhanced
rise: increase|climb|surge
rose: increased|climbed|surged
fall: drop|decline|decrease
fell: dropped|declined|decreased
high: higher|excessive|elevated
low: minimal|reduced|decreased
growth: development|expansion|progress
profit: revenue|income|earnings
profits: revenues|earnings|income
sales: revenue|gross sales|income
deal: agreement|contract|arrangement
deals: agreements|contracts|arrangements
move: transfer|shift|step
moved: transferred|shifted|relocated
expected: anticipated|predicted|forecast
expects: anticipates|predicts|forecasts
likely: possible|probable|most likely
chief: head|main|leading
executive: govt|administrator|exec
officials: authorities|officers|representatives
official: formal|authorized|authorities
minister: secretary|politician|official
ministers: secretaries|politicians|officials
party: celebration|get together|occasion
leader: chief|head|chief executive
leaders: chiefs|heads|frontrunners
president: chairman|leader|head
election: poll|vote|selection
elections: polls|votes|selections
vote: poll|ballot|selection
voters: electorate|constituents|citizens
public: community|general public|people
police: law enforcement|cops|authorities
court: tribunal|courtroom|judge
law: regulation|legislation|rule
laws: regulations|legislation|rules
rules: regulations|guidelines|laws
group: team|band|collection|organisation
team: group|squad|crew
players: gamers|gamblers|participants
player: participant|gamer|competitor
game: match|sport|recreation
games: matches|sports|recreation
match: game|fit|contest
win: victory|triumph|win over
won: gained|earned|triumphed
lost: misplaced|forfeited|missing
season: period|time of year|term
club: membership|organization|association
coach: trainer|instructor|mentor
fans: followers|supporters|enthusiasts
film: movie|motion picture|picture
films: movies|motion pictures|pictures
music: songs|tunes|melody
album: record|collection|CD
star: celebrity|superstar|famous person
stars: celebrities|superstars|famous people
show: present|program|demonstrate
award: prize|honor|accolade
awards: prizes|honors|accolades
best: finest|greatest|top
top: prime|high|leading
number: quantity|amount|figure
numbers: figures|quantities|amounts
part: component|portion|element
place: location|spot|area
home: residence|household|house
house: home|residence|dwelling
family: household|relatives|kin
children: youngsters|kids|young ones
child: youngster|kid|little one
women: girls|ladies|females
men: guys|males|gentlemen
man: guy|male|gentleman
woman: lady|girl|female
work: operate|function|job
worked: operated|labored|functioned
working: functioning|operating|doing work
job: occupation|position|task
jobs: occupations|positions|tasks
workers: employees|staff|personnel
staff: workers|personnel|employees
business: enterprise|commerce|company
industry: sector|field|enterprise
service: support|assistance|provider
services: solutions|providers|support
system: method|process|technique
systems: methods|processes|techniques
technology: know-how|tech|engineering
computer: personal computer|laptop|pc
software: application|program|computer software
internet: web|net|online world
online: on the internet|on the web|on line
phone: telephone|cell|handset
mobile: cell|cellular|portable
data: info|information|statistics
information: info|data|details
report: review|account|statement
reports: reviews|accounts|statements
news: information|headlines|stories
week: 7 days|seven days
weeks: months|days|period
month: 30 days|four weeks
months: weeks|times|periods
day: time|date|working day
days: times|periods|occasions
time: period|moment|occasion
times: periods|instances|occasions
recent: latest|current|new
recently: lately|not too long ago|just lately
early: initial|first|premature
later: afterwards|subsequently|in a while
last: final|previous|past
next: following|subsequent|upcoming
first: initial|very first|primary
second: 2nd|next|subsequent
third: 3rd|next|subsequent
main: primary|principal|key
key: important|crucial|essential
set: established|arranged|placed
need: require|want|demand
needed: required|wanted|necessary
needs: requires|wants|demands
could: might|may|would possibly
should: ought to|must|need to
would: might|may|will
also: additionally|furthermore|in addition
however: nevertheless|nonetheless|but
but: however|yet|although
because: since|as|simply because
many: numerous|various|several|a lot of
several: numerous|various|some
some: a few|certain|various
more: additional|further|extra
most: majority of|the majority of|nearly all
very: extremely|really|incredibly
really: actually|truly|genuinely
just: simply|merely|only
now: currently|at this time|right now
still: nonetheless|nevertheless|yet
already: previously|by now|presently
often: frequently|typically|regularly
around: about|approximately|close to
about: regarding|concerning|around
including: such as|together with|along with
against: in opposition to|versus|towards
between: amongst|among|in between
during: throughout|in the course of|through
after: following|right after|soon after
before: prior to|earlier than|ahead of
under: beneath|below|underneath
over: more than|above|across
within: inside|in|inside of
across: throughout|over|all over
city: metropolis|town|municipality
state: condition|express|nation
local: regional|nearby|neighborhood
national: nationwide|domestic|countrywide
international: worldwide|global|intercontinental
foreign: overseas|international|alien
economy: financial system|economic climate|economic system
economic: financial|monetary|fiscal
financial: monetary|economic|fiscal
bank: financial institution|lender|bank institution
banks: financial institutions|lenders|banking institutions
shares: stocks|equities|gives
share: stock|portion|percentage
investors: traders|buyers|shareholders
trade: commerce|business|trading
oil: petroleum|crude|gas
energy: power|electricity|vitality
health: well being|wellness|fitness
hospital: clinic|medical center|infirmary
doctors: physicians|medical doctors|medics
patients: sufferers|clients|individuals
school: college|academy|institution
schools: colleges|academies|institutions
students: pupils|learners|college students
education: schooling|training|learning
research: analysis|study|investigation
study: research|analysis|examine
studies: research|analyses|scientific studies
found: discovered|located|identified
find: discover|locate|uncover
believe: think|consider|suppose
believed: thought|considered|supposed
known: recognized|identified|acknowledged
called: referred to as|named|known as
added: included|extra|further
announced: introduced|declared|revealed
released: launched|introduced|published
launched: introduced|started|released
decided: determined|resolved|concluded
decision: choice|determination|resolution
agreed: consented|accepted|concurred
agreement: settlement|arrangement|contract
claim: declare|assert|allege
claims: statements|assertions|allegations
claimed: declared|asserted|alleged
warned: cautioned|alerted|advised
warning: caution|alert|notice
attack: assault|strike|offensive
attacks: assaults|strikes|offensives
war: battle|combat|conflict
forces: troops|military|army
security: safety|protection|safety measures
risk: danger|threat|hazard
death: demise|passing|loss of life
died: passed away|perished|passed on
killed: murdered|slain|destroyed
injured: hurt|wounded|harmed
support: assist|help|back
supported: backed|assisted|endorsed
opposition: resistance|objection|competition
change: alter|modify|transform
changes: modifications|alterations|adjustments
changed: altered|modified|transformed
offer: provide|supply|present
offered: provided|supplied|presented
provide: supply|offer|furnish
provided: supplied|offered|furnished
include: comprise|consist of|incorporate
includes: comprises|consists of|incorporates
allow: permit|enable|let
allowed: permitted|enabled|let
create: generate|produce|develop
created: generated|produced|developed
develop: build|create|establish
developed: built|created|established
build: construct|develop|assemble
built: constructed|developed|assembled
keep: maintain|retain|preserve
kept: maintained|retained|preserved
hold: maintain|keep|grip
held: maintained|kept|organized
lead: guide|direct|head
led: guided|directed|headed
pay: compensate|spend|shell out
paid: compensated|spent|remunerated
spend: invest|expend|devote
spent: invested|expended|devoted
seen: noticed|observed|witnessed
see: observe|notice|view
look: appear|seem|glance
looking: seeking|searching|hunting
come: arrive|appear|arise
came: arrived|appeared|arose
go: proceed|head|travel
went: proceeded|headed|traveled
give: provide|offer|grant
gave: provided|offered|granted
take: consider|acquire|seize
took: acquired|seized|grabbed
taken: acquired|seized|grabbed
put: place|set|position
return: come back|go back|revisit
returned: came back|went back|revisited
remain: stay|continue to be|persist
remains: stays|continues to be|persists
continue: carry on|proceed|keep on
continued: carried on|proceeded|went on
try: attempt|endeavor|strive
tried: attempted|endeavored|strived
hope: wish|expectation|desire
hopes: wishes|expectations|desires
able: capable|in a position|ready
possible: attainable|feasible|doable
different: various|distinct|unique
difficult: tough|challenging|hard
hard: tough|difficult|challenging
easy: simple|effortless|straightforward
clear: obvious|evident|apparent
strong: powerful|robust|solid
real: actual|genuine|true
full: complete|entire|whole
whole: complete|entire|full
free: totally free|complimentary|cost-free
right: proper|correct|suitable
wrong: incorrect|mistaken|erroneous
true: accurate|genuine|correct
great: excellent|fantastic|terrific
little: small|tiny|minimal
long: prolonged|extended|lengthy
short: brief|quick|temporary
fast: rapid|quick|speedy
quickly: rapidly|swiftly|speedily
slowly: gradually|progressively|little by little
far: considerably|much|significantly
likely: probably|possibly|most likely
probably: likely|possibly|perhaps
already: presently|now|by this time
told: advised|informed|instructed
figures: numbers|statistics|data
rate: rate of interest|charge|pace
rates: charges|prices|percentages
total: overall|complete|whole
value: worth|price|amount
level: degree|stage|amount
levels: ranges|degrees|stages
power: energy|authority|strength
control: management|manage|regulate
policy: coverage|protection plan|strategy
policies: guidelines|insurance policies|strategies
tax: levy|duty|tariff
taxes: levies|duties|tariffs
budget: finances|funds|allowance
spending: expenditure|investing|outlay
fund: finance|account|pool
funds: finances|resources|capital
interest: curiosity|attention|fascination
chance: opportunity|possibility|likelihood
result: outcome|consequence|end result
results: outcomes|consequences|final results
effect: impact|influence|consequence
impact: influence|effect|affect
reason: cause|motive|purpose
example: instance|illustration|sample
question: query|inquiry|issue
questions: queries|inquiries|issues
answer: reply|response|solution
case: situation|instance|circumstance
cases: situations|instances|circumstances
point: stage|level|position
idea: concept|notion|thought
view: perspective|opinion|viewpoint
way: method|manner|means
ways: methods|manners|means
area: region|location|space
areas: regions|locations|zones
road: street|route|highway
car: automobile|vehicle|motor vehicle
cars: automobiles|vehicles|motor vehicles
water: h2o|liquid|drinking water
food: meals|meals|foodstuff
party: social gathering|celebration|bash
meeting: assembly|gathering|conference
talks: discussions|negotiations|conversations
speech: talk|address|discourse
statement: assertion|declaration|announcement
comments: feedback|remarks|responses
critics: detractors|reviewers|skeptics
experts: specialists|professionals|authorities
director: manager|supervisor|administrator
manager: supervisor|director|boss
boss: supervisor|manager|employer
owner: proprietor|holder|landlord
owners: proprietors|holders|landlords
customers: clients|consumers|buyers
users: consumers|customers|individuals
consumers: customers|buyers|shoppers
product: item|merchandise|goods
products: items|merchandise|goods
record: document|file|report
history: background|past|record
future: long term|potential|prospect
life: existence|living|lifestyle
lives: existence|life|livelihoods
story: tale|narrative|account
stories: tales|narratives|accounts
series: collection|sequence|string
""".strip()


def load_handbook() -> dict[str, tuple[str, ...]]:
    """Parse the table into word -> replacements; later duplicates extend earlier ones."""
    table: dict[str, list[str]] = {}
    for line in HANDBOOK_TEXT.splitlines():
        word, _, alternatives = line.partition(":")
        options = [alt.strip() for alt in alternatives.split("|") if alt.strip() and alt.strip() != word]
        bucket = table.setdefault(word.strip(), [])
        bucket.extend(option for option in options if option not in bucket)
    return {word: tuple(options) for word, options in table.items() if options}
