"""Contacts: e-mail addresses, phone numbers (E.164), web addresses and social profiles."""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

# ---------------------------------------------------------------- e-mail

_LOCAL_CHARS = re.compile(r"[A-Za-z0-9._%+\-']{1,64}$")
_DOMAIN = re.compile(
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9])"
)
# A domain cut by the end of a line in a narrow column ("NAME@GMAIL.CO" / "M", "NAME@GMAI" /
# "L.COM"), and the next line when it is nothing but the rest of it.
_CUT_DOMAIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.\-]{0,61}[A-Za-z0-9])?[ \t]*\r?\n")
_DOMAIN_TAIL = re.compile(r"[ \t]*([A-Za-z0-9.\-]{1,24})[ \t]*(?:\r?\n|$)")
# Top-level domains a cut can leave as a shorter one (".CO" + "M"); "example.com" + "UK" on
# the next line is an address and a country, not "example.comuk".
_CUT_TLDS = frozenset(["com", "net", "org", "edu", "gov", "info", "biz"])


@dataclass(frozen=True, slots=True)
class Email:
    start: int
    end: int
    address: str


def find_emails(text: str) -> list[Email]:
    """Valid-looking e-mail addresses (found from each '@', so hostile input stays linear)."""
    out: list[Email] = []
    pos = text.find("@")
    while pos != -1:
        m_local = _LOCAL_CHARS.search(text, max(0, pos - 64), pos)
        domain, end = _wrapped_domain(text, pos + 1)
        m_dom = None if domain else _DOMAIN.match(text, pos + 1, min(len(text), pos + 256))
        if m_dom:
            domain, end = m_dom.group(), m_dom.end()
        if m_local and domain:
            local = m_local.group().lstrip(".'-_%+")
            start = pos - len(local)
            if local and ".." not in local and not local.endswith(".") and ".." not in domain:
                address = f"{local}@{domain}"
                out.append(Email(start, end, address))
        pos = text.find("@", pos + 1)
    return out


def _wrapped_domain(text: str, start: int) -> tuple[str, int]:
    """The domain after an '@' that a line break cut, joined again, and where it ends; ("", 0)
    when it was not cut: the line ends inside the domain (no dot yet, or a top-level part
    that a short next line completes) and the next line holds only the rest."""
    head = _CUT_DOMAIN.match(text, start, min(len(text), start + 256))
    if not head:
        return "", 0
    tail = _DOMAIN_TAIL.match(text, head.end(), min(len(text), head.end() + 64))
    if not tail:
        return "", 0
    first, rest = head.group().strip(), tail.group(1)
    if "." in first and ("." in rest or (first.rsplit(".", 1)[1] + rest).lower() not in _CUT_TLDS):
        return "", 0  # a whole domain, then a short line of its own
    joined = _DOMAIN.fullmatch(first + rest)
    return (joined.group(), tail.end(1)) if joined else ("", 0)


# ---------------------------------------------------------------- phone

_PHONE = re.compile(r"(?<![\w/.\-])(?:\+|00)?\(?\+?\d[\d \t().\-]{5,40}\d(?![\w/])")
_PHONE_LABEL = re.compile(
    r"(?i)(?:phone|mobile|mob|cell|tel|telephone|contact|ph|m|p|h|w|home|work|whatsapp)"
    r"\s*(?:no\.?|number|#)?\s*[:.\-]?\s*$"
)
_NOT_PHONE_LABEL = re.compile(
    r"(?i)(?:\bid|roll|reg(?:istration)?|passport|pan|aadhaa?r|zip|pin|postal|code|fax|isbn"
    r"|no\.?\s*of|account|policy|ref(?:erence)?)\s*(?:no\.?|number|#)?\s*[:.\-]?\s*$"
)
_YEARISH = re.compile(r"^(?:19|20)\d\d\s*[-/\u2013 ]\s*(?:(?:19|20)?\d\d)$")
_NANP = re.compile(r"^(?:\+?1[\s.\-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.\-])\d{3}[\s.\-]\d{4}$")
_DATEISH = re.compile(r"^\d{1,2}[./\-]\d{1,2}[./\-]\d{2,4}$")


@dataclass(frozen=True, slots=True)
class Phone:
    start: int
    end: int
    e164: str
    valid: bool
    labelled: bool


def guess_region(text: str, has_indian_place: bool, has_us_place: bool) -> str | None:
    """The default phone region the resume points to (India or the US), if it says."""
    if "+91" in text or "+ 91" in text or has_indian_place:
        return "IN"
    if has_us_place or re.search(r"\+1[\s\-(]", text):
        return "US"
    return None


def find_phones(text: str, region: str | None, *, limit: int = 5) -> list[Phone]:
    """Phone numbers, E.164-normalised, best first (labelled and valid before others)."""
    out: list[Phone] = []
    for m in _PHONE.finditer(text):
        for raw_start, raw in _pieces(m.start(), m.group()):
            phone = _phone(text, raw_start, raw, region)
            if phone is not None:
                out.append(phone)
        if len(out) >= limit * 3:
            break
    out.sort(key=lambda p: (not p.valid, not p.labelled, p.start))
    return out[:limit]


def _pieces(start: int, found: str):
    """The candidate itself, or, when it glues several numbers together, its parts."""
    raw = found.rstrip(" \t.-(").lstrip(" \t.-")
    if raw.count("(") != raw.count(")"):
        raw = raw.strip("()")
    raw_start = start + found.find(raw[:1])
    if sum(ch.isdigit() for ch in raw) <= 15:
        yield raw_start, raw
        return
    tokens = [(t.start(), t.group()) for t in re.finditer(r"\S+", raw)]
    i = 0
    while i < len(tokens):
        for j in range(min(len(tokens), i + 5), i, -1):
            s = tokens[i][0]
            e = tokens[j - 1][0] + len(tokens[j - 1][1])
            piece = raw[s:e]
            if 10 <= sum(ch.isdigit() for ch in piece) <= 13:
                yield raw_start + s, piece
                i = j - 1
                break
        i += 1


def _phone(text: str, raw_start: int, raw: str, region: str | None) -> Phone | None:
    digits = re.sub(r"\D", "", raw)
    if not 7 <= len(digits) <= 15 or _YEARISH.match(raw) or _DATEISH.match(raw):
        return None
    before = text[max(0, raw_start - 25) : raw_start]
    if _NOT_PHONE_LABEL.search(before):
        return None
    labelled = bool(_PHONE_LABEL.search(before))
    parsed = _parse(raw, digits, region)
    if parsed is None:
        return None
    number, valid = parsed
    if not valid and not (labelled or len(digits) >= 10):
        return None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return Phone(raw_start, raw_start + len(raw), e164, valid, labelled)


def _parse(
    raw: str, digits: str, region: str | None
) -> tuple[phonenumbers.PhoneNumber, bool] | None:
    """Parse with the most likely default region first.

    Explicit country codes win; then a US-style grouping ("(415) 555-2671") means the US,
    ten digits starting 6-9 mean an Indian mobile, and otherwise the resume's region
    (India or the US) decides.
    """
    candidates: list[tuple[str, str | None]] = []
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    if raw.startswith("+") or raw.startswith("(+"):
        candidates.append((raw, None))
    else:
        indian_mobile = len(digits) == 10 and digits[0] in "6789"
        if _NANP.match(raw) and region != "IN":
            candidates.append((raw, "US"))
        if indian_mobile and region != "US":
            candidates.append((digits, "IN"))
        candidates.append((raw, region or "US"))
        candidates.append((raw, "IN" if region == "US" else "US"))
        if indian_mobile:
            candidates.append((digits, "IN"))
    fallback = None
    for number_text, reg in candidates:
        try:
            number = phonenumbers.parse(number_text, reg)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return number, True
        if fallback is None and phonenumbers.is_possible_number(number):
            fallback = number
    return (fallback, False) if fallback is not None else None


# ---------------------------------------------------------------- web

_URL = re.compile(
    r"(?<![\w@.])(?:(?:https?://|www\.)[^\s<>\"'|,;()]{2,300}"
    r"|(?<![\w@.\-])(?:[a-z0-9\-]{1,63}\.){0,4}(?:linkedin\.com|github\.com|gitlab\.com|bitbucket\.org|twitter\.com"
    r"|x\.com|facebook\.com|instagram\.com|behance\.net|dribbble\.com|medium\.com"
    r"|stackoverflow\.com|kaggle\.com|leetcode\.com|youtube\.com|indeed\.com)/[^\s<>\"'|,;()]{1,200})",
    re.IGNORECASE,
)
_BARE_SITE = re.compile(
    r"(?<![\w@.\-])(?:[a-z0-9\-]{2,63}\.){1,5}(?:com|net|org|io|dev|me|in|co|info|ca|uk|ai|app|page)"
    r"(?:/[^\s<>\"'|,;()]*)?(?![\w@])",
    re.IGNORECASE,
)
_NETWORKS = (
    ("linkedin.com", "LinkedIn", re.compile(r"linkedin\.com/(?:in|pub)/([^/?#\s]+)", re.I)),
    ("github.com", "GitHub", re.compile(r"github\.com/([^/?#\s]+)", re.I)),
    ("gitlab.com", "GitLab", re.compile(r"gitlab\.com/([^/?#\s]+)", re.I)),
    ("bitbucket.org", "Bitbucket", re.compile(r"bitbucket\.org/([^/?#\s]+)", re.I)),
    ("twitter.com", "Twitter", re.compile(r"twitter\.com/(?:#!/)?@?([^/?#\s]+)", re.I)),
    ("x.com", "X", re.compile(r"(?<![\w.])x\.com/@?([^/?#\s]+)", re.I)),
    ("facebook.com", "Facebook", re.compile(r"facebook\.com/([^/?#\s]+)", re.I)),
    ("instagram.com", "Instagram", re.compile(r"instagram\.com/([^/?#\s]+)", re.I)),
    ("behance.net", "Behance", re.compile(r"behance\.net/([^/?#\s]+)", re.I)),
    ("dribbble.com", "Dribbble", re.compile(r"dribbble\.com/([^/?#\s]+)", re.I)),
    ("medium.com", "Medium", re.compile(r"medium\.com/@?([^/?#\s]+)", re.I)),
    ("stackoverflow.com", "Stack Overflow", re.compile(r"stackoverflow\.com/users/(\d+)", re.I)),
    ("kaggle.com", "Kaggle", re.compile(r"kaggle\.com/([^/?#\s]+)", re.I)),
    ("leetcode.com", "LeetCode", re.compile(r"leetcode\.com/(?:u/)?([^/?#\s]+)", re.I)),
    ("youtube.com", "YouTube", re.compile(r"youtube\.com/(?:c/|user/)?@?([^/?#\s]+)", re.I)),
    ("indeed.com", "Indeed", re.compile(r"indeed\.com/r/([^/?#\s]+)", re.I)),
)  # fmt: skip
_HANDLE = re.compile(
    r"(?i)\b(skype|github|linkedin|twitter)\s*(?:id|handle)?\s*[:\-]\s*@?([A-Za-z0-9_.\-]{3,60})"
)
_EMAIL_HOSTS = frozenset(
    [
        "gmail.com",
        "yahoo.com",
        "hotmail.com",
        "outlook.com",
        "rediffmail.com",
        "live.com",
        "icloud.com",
    ]
)


@dataclass(frozen=True, slots=True)
class Link:
    start: int
    end: int
    url: str
    network: str | None
    username: str | None


def _absolute(url: str) -> str:
    url = url.rstrip(".:")
    if not re.match(r"(?i)https?://", url):
        url = "https://" + url
    return url


def find_links(text: str, emails: list[Email]) -> list[Link]:
    """Web addresses and social profiles, in order of appearance."""
    email_spans = [(e.start, e.end) for e in emails]
    out: list[Link] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return not any(a < e and s < b for a, b in (*email_spans, *taken))

    for m in _URL.finditer(text):
        s, e = m.span()
        raw = m.group().rstrip(".:")
        if not free(s, e):
            continue
        out.append(_link(s, s + len(raw), raw))
        taken.append((s, e))
    for m in _BARE_SITE.finditer(text):
        s, e = m.span()
        raw = m.group().rstrip(".:")
        host = raw.split("/")[0].lower()
        if not free(s, e) or host in _EMAIL_HOSTS or ("/" not in raw and raw.count(".") < 1):
            continue
        if re.fullmatch(r"(?i)[a-z]+\.(?:net|js|io)", raw) or (
            raw[:1].isupper() and "/" not in raw
        ):
            continue  # "ASP.NET", "Node.js", "Vue.js", "Socket.IO": technologies, not sites
        out.append(_link(s, s + len(raw), raw))
        taken.append((s, e))
    for m in _HANDLE.finditer(text):
        network = m.group(1).capitalize()
        if network in ("Github", "Linkedin"):
            continue  # those need a URL to be useful; a bare word is usually a heading
        s, e = m.span(2)
        if free(s, e):
            out.append(Link(s, e, "", network, m.group(2)))
    out.sort(key=lambda link: link.start)
    return out


def _link(s: int, e: int, raw: str) -> Link:
    url = _absolute(raw)
    low = url.lower()
    for host, name, pattern in _NETWORKS:
        if host in low:
            m = pattern.search(url)
            user = m.group(1).rstrip("/") if m else None
            return Link(s, e, url, name, user)
    return Link(s, e, url, None, None)
