"""Word lists the extractors share: job-title words, company and school markers."""

from __future__ import annotations

import re


def word_list(text: str) -> list[str]:
    """Words of a block of text (keeps long word lists readable)."""
    return text.split()


# Head nouns of job titles ("Senior Software *Engineer*", "Sales *Associate*").
TITLE_HEADS = frozenset(
    word_list(
        """
    engineer engineers developer developers programmer architect analyst analysts consultant
    manager managers director lead leader head officer executive specialist coordinator
    administrator admin associate assistant intern internship trainee apprentice designer
    scientist researcher fellow technician technologist tester president vp vice ceo cto cfo
    coo cio cmo founder cofounder co-founder owner partner principal teacher lecturer
    professor instructor tutor trainer educator coach counselor counsellor advisor adviser
    nurse physician doctor surgeon therapist pharmacist dentist paramedic caregiver
    accountant auditor controller bookkeeper clerk cashier teller banker underwriter
    representative rep agent salesman saleswoman salesperson editor writer journalist
    reporter producer anchor newsreader photographer artist animator illustrator translator
    interpreter secretary receptionist supervisor foreman superintendent operator mechanic
    electrician plumber carpenter welder machinist driver chef cook waiter bartender
    housekeeper attendant guard officer inspector surveyor planner buyer merchandiser
    recruiter strategist marketer advertiser publicist economist statistician mathematician
    chemist biologist physicist geologist lawyer attorney paralegal advocate solicitor
    librarian curator volunteer member chairman chairperson chair treasurer dean principal
    headmaster vice-president sme expert evangelist steward stewardess hostess pilot captain
    crew technician worker labourer laborer handler packer picker storekeeper dispatcher
    scheduler estimator draftsman draughtsman aide assistant-manager support staff employee
    freelancer contractor entrepreneur webmaster physiotherapist physician ambassador
    cdo cpo cso ciso cro werkstudent developper développeur developpeur ingénieur ingenieur
    documenter mentor facilitator maintainer contributor copywriter postdoc scholar
    investigator liaison moderator organizer organiser
    ingeniero desarrollador entwickler berater programador analista consultor
    """
    )
)
TITLE_MODIFIERS = frozenset(
    word_list(
        """
    senior sr sr. junior jr jr. lead chief head principal staff associate assistant deputy
    trainee graduate executive general regional area national global
    """
    )
)
# Words that, alone, are job titles even without a head noun.
TITLE_ALONE = frozenset(
    word_list(
        """
    developer engineer consultant intern analyst manager director teacher lecturer professor
    president founder owner architect administrator designer editor accountant nurse tutor
    instructor volunteer trainee secretary treasurer freelancer ceo cto cfo coo
    """
    )
)

COMPANY_MARKERS = frozenset(
    word_list(
        """
    ltd ltd. limited inc inc. incorporated llc llp lp plc corp corp. corporation co co. company
    pvt pvt. private gmbh ag sa bv pte pty technologies technology tech solutions services
    systems software softwares consulting consultants consultancy labs lab group holdings
    industries international enterprises bank hospital clinic foundation associates partners
    global infotech infosystems informatics networks communications media studios studio
    agency ventures capital motors pharma pharmaceuticals healthcare telecom airlines
    airways logistics retail stores restaurant hotel hotels resorts trust council ministry
    department authority bureau organisation organization ngo society firm
    """
    )
)
KNOWN_COMPANIES = frozenset(
    word_list(
        """
    infosys wipro tcs accenture cognizant capgemini hcl ibm oracle microsoft google amazon
    apple facebook meta deloitte pwc kpmg ey tesco walmart flipkart paytm zomato swiggy ola
    uber intel cisco sap dell hp adobe salesforce vmware nvidia qualcomm samsung sony
    mindtree mphasis hexaware persistent zensar cgi atos genpact convergys teleperformance
    sutherland thoughtworks ericsson nokia siemens bosch honeywell philips ge jpmorgan citi
    citibank barclays hsbc goldman morgan dxc unisys syntel igate sapient publicis byju's
    byjus ola disney netflix twitter linkedin yahoo ebay paypal
    """
    )
)

INSTITUTION_WORDS = (
    "university",
    "universiteit",
    "college",
    "institute",
    "institution",
    "school",
    "academy",
    "polytechnic",
    "vidyalaya",
    "vidyapeeth",
    "vidyapith",
    "mahavidyalaya",
    "conservatory",
    "seminary",
    "iit",
    "nit",
    "iiit",
    "iim",
    "bits",
    "board",
    "cbse",
    "icse",
    "kendriya",
)
INSTITUTION_RE = re.compile(
    r"\b(?:universit(?:y|ies|é|ä|à|at|a|e|eit|[aá]rio|[aá]ria)|universidad|universidade"
    r"|uniwersytet|univerzita|faculty"
    r"|college|coll[eè]ge|col[eé]gio|institute|institution|institut|instituto|istituto|school"
    # German compounds name the kind of school last: "Filmakademie", "Musikhochschule"
    r"|academy|academia|\w*akademie|polytechnic|politecnico|polit[eé]cnica|politechnika"
    r"|\w*hochschule|escuela|[eé]cole|lyc[eé]e|liceo|faculdade|facultad|gymnasium"
    r"|vidyalaya|vidyapee?th|vidyapith|mahavidyalaya|conservatory|IIT|NIT|IIIT|IIM|BITS"
    r"|board|CBSE|ICSE|kendriya)\b",
    re.IGNORECASE,
)

# Words that disqualify a line from being a person's name.
NOT_NAME_WORDS = frozenset(
    word_list(
        """
    resume résumé curriculum vitae cv biodata bio-data profile summary objective template
    sample example page contact address phone mobile email e-mail tel telephone cell fax
    street road avenue lane nagar colony apartment apt floor sector block city state zip
    university college school institute center centre department company limited ltd inc pvt
    technologies solutions services experience education skills projects declaration career
    references personal details information the and of for in at to with by from your my
    name date birth nationality gender marital status linkedin github portfolio website
    skype indeed email: present current year years month months team project
    """
    )
)

SPOKEN_LANGUAGES = frozenset(
    word_list(
        """
    English Hindi Tamil Telugu Kannada Malayalam Marathi Bengali Bangla Gujarati Punjabi
    Urdu Odia Oriya Assamese Konkani Sanskrit Sindhi Nepali Sinhala Spanish French German
    Italian Portuguese Dutch Russian Arabic Persian Farsi Turkish Hebrew Greek Polish Czech
    Swedish Norwegian Danish Finnish Hungarian Romanian Ukrainian Chinese Mandarin Cantonese
    Japanese Korean Vietnamese Thai Indonesian Malay Tagalog Filipino Swahili Afrikaans
    Latin
    """
    )
)
FLUENCY_WORDS = (
    ("native", "Native speaker"),
    ("mother tongue", "Native speaker"),
    ("bilingual", "Native or bilingual proficiency"),
    ("fluent", "Fluent"),
    ("full professional", "Full professional proficiency"),
    ("professional working", "Professional working proficiency"),
    ("professional", "Professional working proficiency"),
    ("proficient", "Fluent"),
    ("advanced", "Advanced"),
    ("intermediate", "Intermediate"),
    ("conversational", "Conversational"),
    ("elementary", "Elementary"),
    ("limited working", "Limited working proficiency"),
    ("basic", "Basic"),
    ("beginner", "Beginner"),
)


def words(text: str) -> list[str]:
    """Lower-case words of a text, punctuation stripped."""
    return [w.strip(".,;:()[]'\"!?").lower() for w in text.split() if w.strip(".,;:()[]'\"!?")]


_BRACKETED = re.compile(r"\([^()]*\)")


def title_score(text: str) -> float:
    """How much a phrase looks like a job title (0..1); a bracketed note does not count
    ("NetJets (contractor via ComResource)" is a company)."""
    outside = _BRACKETED.sub(" ", text)
    if words(outside):
        text = outside
    ws = words(text.replace("/", " ").replace("-", " "))
    if not ws or len(ws) > 9:
        return 0.0
    if any(ch.isdigit() for ch in text) or "@" in text:
        return 0.0
    if ws[-1] in TITLE_HEADS or (len(ws) == 1 and ws[0] in TITLE_ALONE):
        return 0.9
    if any(w in TITLE_HEADS for w in ws):
        # "Manager - Sales", "Head of Marketing", "Intern at X"
        return 0.7 if len(ws) <= 6 else 0.4
    return 0.0


def company_score(text: str) -> float:
    """How much a phrase looks like an organisation's name (0..1)."""
    ws = words(text)
    if not ws or len(ws) > 10:
        return 0.0
    if ws[-1] in TITLE_HEADS and ws[-1] not in COMPANY_MARKERS:
        return 0.2  # "Technology Lead" is a job title
    if any(w in COMPANY_MARKERS for w in ws):
        return 0.9
    if ws[0] in KNOWN_COMPANIES or any(w in KNOWN_COMPANIES for w in ws[:2]):
        return 0.85
    return 0.0


def title_case(value: str) -> str:
    """Title case for SHOUTED text that keeps short acronyms ("IT", "HR") and small words."""
    small = {"of", "and", "in", "for", "the", "at", "to", "a", "an", "&"}
    words = value.split()
    out = []
    for i, w in enumerate(words):
        lw = w.lower()
        if i and lw in small:
            out.append(lw)
        elif len(w) <= 3 and w.isalpha() and lw not in TITLE_HEADS:
            out.append(w)  # acronyms: "IT", "HR", "VP"
        else:
            out.append(re.sub(r"[^\W\d_]+", lambda m: m.group().capitalize(), w))
    return " ".join(out)


# Ratings only a skill gets (not "Fluent" or "Native", which rate spoken languages).
SKILL_LEVELS = frozenset(
    word_list(
        """
        beginner novice basic elementary familiar intermediate competent proficient good
        advanced professional strong excellent expert master mastery junior senior experienced
        skilled
        """
    )
)


_DISCIPLINE_WORDS = frozenset(
    word_list(
        """
        computer computing science sciences engineering software development information
        technology systems data mathematics math physics chemistry biology economics business
        administration management finance accounting marketing design animation art arts
        media communication communications studies law medicine psychology electrical
        electronic electronics mechanical civil and of & in with web programming bootcamp
        """
    )
)


def only_discipline(value: str) -> bool:
    """A name that is only a field of study or a department ("Computer Science and
    Engineering", "Software Engineering"): no school, no employer."""
    found = words(value)
    return bool(found) and not INSTITUTION_RE.search(value) and set(found) <= _DISCIPLINE_WORDS
