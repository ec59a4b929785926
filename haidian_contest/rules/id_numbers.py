"""The identity documents a roster may carry (一（七）real names, 一（九）members or not), by structure.

Three cards carry a GB 11643-shaped number, 17 digits and an ISO 7064 MOD 11-2 check character, with
a birth date at positions 7–14:

- 居民身份证: a mainland province code first (11–65), then the rest of the address code;
- 港澳台居民居住证 (2018): the address code is exactly 810000 (Hong Kong), 820000 (Macao) or
  830000 (Taiwan);
- 外国人永久居留身份证, 2023 card: '9', the province code of the place that took the application, a
  3-digit nationality code (ISO 3166-1 numeric), then birth date, sequence and check character, as
  the National Immigration Administration's reading rules of 2023 describe it.

The 2017 permanent-residence card, still valid until its own expiry date, carries 15 characters: a
3-letter nationality code (ISO 3166-1 alpha-3) and 12 digits, the first two a province code. It has
no check character; what can be checked is the nationality and the province.

A passport has no structure this system could check: it is accepted only when the document type says
so, and then as a waivable 一（七） finding (the measures ask for the resident ID number), which the
department decides on the record.

Pure Python: the roster import, forms and searches all go through here.
"""

from __future__ import annotations

import re
from datetime import date

from .base import Finding, waivable

# 一（七）: every participant is registered under their real name and resident ID number.
ID_CLAUSE = "一（七）"

RESIDENT_CARD = "resident_card"
HMT_PERMIT = "hmt_permit"
FOREIGN_PR = "foreign_pr"
PASSPORT = "passport"
DOCUMENT_TYPES = (
    (RESIDENT_CARD, "居民身份证"),
    (HMT_PERMIT, "港澳台居民居住证"),
    (FOREIGN_PR, "外国人永久居留身份证"),
    (PASSPORT, "护照"),
)
DOCUMENT_LABELS = dict(DOCUMENT_TYPES)
# What people type in a 证件类型 cell, besides the labels themselves.
_TYPE_WORDS = {
    **{label: key for key, label in DOCUMENT_TYPES},
    "身份证": RESIDENT_CARD, "二代身份证": RESIDENT_CARD, "中华人民共和国居民身份证": RESIDENT_CARD,
    "港澳台居住证": HMT_PERMIT, "港澳居民居住证": HMT_PERMIT, "台湾居民居住证": HMT_PERMIT,
    "港澳台居民居住证件": HMT_PERMIT,
    "外国人永久居留证": FOREIGN_PR, "永久居留身份证": FOREIGN_PR, "永居证": FOREIGN_PR,
    "中华人民共和国外国人永久居留身份证": FOREIGN_PR,
    "外国护照": PASSPORT, "PASSPORT": PASSPORT,
}

# GB/T 2260 first-level codes of the mainland's provinces, regions and municipalities.
MAINLAND_PROVINCES = frozenset(
    [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
     50, 51, 52, 53, 54, 61, 62, 63, 64, 65]
)
HMT_ADDRESS_CODES = {"810000": "香港", "820000": "澳门", "830000": "台湾"}
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"  # indexed by weighted sum mod 11 (ISO 7064 MOD 11-2)
_ASCII_DIGITS = frozenset("0123456789")
_EARLIEST_BIRTH = date(1900, 1, 1)
_PASSPORT = re.compile(r"[A-Z0-9]{5,20}", re.ASCII)
_GB11643_SHAPE = re.compile(r"[0-9]{17}[0-9X]", re.ASCII)

# ISO 3166-1 (generated from pycountry 26.2.16), without China, Hong Kong, Macao and Taiwan, whose
# people hold a resident card or a 居住证, never a foreigner's permanent-residence card.
NATIONALITY_NUMERIC = frozenset("""
004 008 010 012 016 020 024 028 031 032 036 040 044 048 050 051 052 056 060 064 068 070 072 074
076 084 086 090 092 096 100 104 108 112 116 120 124 132 136 140 144 148 152 162 166 170 174 175
178 180 184 188 191 192 196 203 204 208 212 214 218 222 226 231 232 233 234 238 239 242 246 248
250 254 258 260 262 266 268 270 275 276 288 292 296 300 304 308 312 316 320 324 328 332 334 336
340 348 352 356 360 364 368 372 376 380 384 388 392 398 400 404 408 410 414 417 418 422 426 428
430 434 438 440 442 450 454 458 462 466 470 474 478 480 484 492 496 498 499 500 504 508 512 516
520 524 528 531 533 534 535 540 548 554 558 562 566 570 574 578 580 581 583 584 585 586 591 598
600 604 608 612 616 620 624 626 630 634 638 642 643 646 652 654 659 660 662 663 666 670 674 678
682 686 688 690 694 702 703 704 705 706 710 716 724 728 729 732 740 744 748 752 756 760 762 764
768 772 776 780 784 788 792 795 796 798 800 804 807 818 826 831 832 833 834 840 850 854 858 860
862 876 882 887 894
""".split())
NATIONALITY_ALPHA3 = frozenset("""
ABW AFG AGO AIA ALA ALB AND ARE ARG ARM ASM ATA ATF ATG AUS AUT AZE BDI BEL BEN BES BFA BGD BGR
BHR BHS BIH BLM BLR BLZ BMU BOL BRA BRB BRN BTN BVT BWA CAF CAN CCK CHE CHL CIV CMR COD COG COK
COL COM CPV CRI CUB CUW CXR CYM CYP CZE DEU DJI DMA DNK DOM DZA ECU EGY ERI ESH ESP EST ETH FIN
FJI FLK FRA FRO FSM GAB GBR GEO GGY GHA GIB GIN GLP GMB GNB GNQ GRC GRD GRL GTM GUF GUM GUY HMD
HND HRV HTI HUN IDN IMN IND IOT IRL IRN IRQ ISL ISR ITA JAM JEY JOR JPN KAZ KEN KGZ KHM KIR KNA
KOR KWT LAO LBN LBR LBY LCA LIE LKA LSO LTU LUX LVA MAF MAR MCO MDA MDG MDV MEX MHL MKD MLI MLT
MMR MNE MNG MNP MOZ MRT MSR MTQ MUS MWI MYS MYT NAM NCL NER NFK NGA NIC NIU NLD NOR NPL NRU NZL
OMN PAK PAN PCN PER PHL PLW PNG POL PRI PRK PRT PRY PSE PYF QAT REU ROU RUS RWA SAU SDN SEN SGP
SGS SHN SJM SLB SLE SLV SMR SOM SPM SRB SSD STP SUR SVK SVN SWE SWZ SXM SYC SYR TCA TCD TGO THA
TJK TKL TKM TLS TON TTO TUN TUR TUV TZA UGA UKR UMI URY USA UZB VAT VCT VEN VGB VIR VNM VUT WLF
WSM YEM ZAF ZMB ZWE
""".split())


# U+FF01..U+FF5E are the full-width forms of ASCII 0x21..0x7E; U+3000 is the ideographic space.
_FULL_WIDTH = {0xFF01 + i: 0x21 + i for i in range(0x5E)} | {0x3000: 0x20}


def normalize_id(value: object) -> str:
    """The one form every ID number is compared, hashed and checked in: forms, imports, searches.

    Full-width digits and letters (“１１０１…Ｘ”, typed with a Chinese input method) fold to ASCII, so
    such a number is the same person as the ASCII one; then letters are upper case. Only the
    full-width block folds: NFKC would also turn “¹” or “①” into 1 and accept a number nobody typed.
    Other digits (Arabic-Indic …) are left as they are and stay invalid.
    """
    text = str(value)
    if not text.isascii():
        text = text.translate(_FULL_WIDTH)
    return text.strip().upper()


def id_check_char(first17: str) -> str:
    """The 18th character for 17 ASCII digits."""
    return _CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def _born_ok(digits: str, today: date | None) -> bool:
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return False
    return _EARLIEST_BIRTH <= born <= (today or date.today())


def document_type(number: str, *, today: date | None = None) -> str | None:
    """The card a normalized number is a valid number of (RESIDENT_CARD, HMT_PERMIT, FOREIGN_PR), or None.

    ``today`` bounds the birth date; it defaults to the real today. A passport is never inferred:
    it has no structure to recognise.
    """
    length = len(number)
    if length == 18:
        first17 = number[:17]
        # str.isdigit() accepts non-ASCII digits such as "٣", which int() would then happily parse.
        if not set(first17) <= _ASCII_DIGITS or number[17] != id_check_char(first17):
            return None
        if not _born_ok(number[6:14], today):
            return None
        if number[0] == "9":
            if int(number[1:3]) in MAINLAND_PROVINCES and number[3:6] in NATIONALITY_NUMERIC:
                return FOREIGN_PR
            return None
        if number[:6] in HMT_ADDRESS_CODES:
            return HMT_PERMIT
        return RESIDENT_CARD if int(number[:2]) in MAINLAND_PROVINCES else None
    if length == 15 and number[:3] in NATIONALITY_ALPHA3 and set(number[3:]) <= _ASCII_DIGITS:
        return FOREIGN_PR if int(number[3:5]) in MAINLAND_PROVINCES else None
    return None


def parse_document_type(value: object) -> str | None:
    """A 证件类型 cell → the type's key; "" for a blank cell (infer from the number); None if unknown."""
    text = normalize_id(value or "").replace(" ", "")
    if not text:
        return ""
    return _TYPE_WORDS.get(text)


def _structure_problem(number: str, today: date | None) -> str | None:
    """What is wrong with an 18-character GB 11643-shaped number, part by part (None: only the check character)."""
    if not _born_ok(number[6:14], today):
        return "出生日期（第 7–14 位）不正确"
    if number[0] == "9":
        if int(number[1:3]) not in MAINLAND_PROVINCES:
            return "外国人永久居留身份证号码第 2–3 位应为受理地的省级代码"
        if number[3:6] not in NATIONALITY_NUMERIC:
            return "外国人永久居留身份证号码第 4–6 位应为国籍代码"
    elif number[0] == "8":
        if number[:6] not in HMT_ADDRESS_CODES:
            return "港澳台居民居住证号码前 6 位应为 810000（香港）、820000（澳门）或 830000（台湾）"
    elif int(number[:2]) not in MAINLAND_PROVINCES:
        return "地区码（前 2 位）不是有效的省级代码"
    return None


def number_problem(number: str, *, today: date | None = None) -> str | None:
    """Why a normalized number is no valid number of any card, citing 一（七）; None if it is valid."""
    if not number:
        return f"未填写身份证号（{ID_CLAUSE}实名登记）"
    if document_type(number, today=today) is not None:
        return None
    if len(number) == 18 and _GB11643_SHAPE.fullmatch(number):
        why = _structure_problem(number, today)
        if why is None:
            return f"身份证号校验位错误，请核对号码（{ID_CLAUSE}）"
        return f"身份证号无效：{why}（{ID_CLAUSE}）"
    if len(number) == 15 and number[:3].isalpha():
        if number[:3] not in NATIONALITY_ALPHA3:
            return f"外国人永久居留身份证（2017 版）号码前 3 位应为国籍代码（{ID_CLAUSE}）"
        return f"外国人永久居留身份证（2017 版）号码应为 3 位字母加 12 位数字，第 4–5 位为受理地省级代码（{ID_CLAUSE}）"
    # Letters and digits of a passport's length: say how such a worker can be entered.
    hint = "；如为护照号码，请在“证件类型”列填写“护照”" if _PASSPORT.fullmatch(number) and not number.isdigit() else ""
    if len(number) != 18:
        return f"身份证号应为 18 位，此处为 {len(number)} 位（{ID_CLAUSE}）{hint}"
    return f"身份证号只能由数字组成，末位可为 X（{ID_CLAUSE}）{hint}"


def document_problem(number: str, declared: str = "", *, today: date | None = None) -> tuple[str | None, str | None, bool]:
    """(the document type, why the number is refused, whether the type column is what is wrong).

    ``declared`` is the row's 证件类型 ("" when not given: the type is inferred from the number).
    A passport is valid only when declared; it then still needs the department's waiver
    (``passport_finding``).
    """
    found = document_type(number, today=today)
    if declared and found and found != declared:
        return None, (f"证件类型填写为“{DOCUMENT_LABELS[declared]}”，但该号码是{DOCUMENT_LABELS[found]}的号码，"
                      f"请核对（{ID_CLAUSE}）"), True
    if found:
        return found, None, False
    if declared == PASSPORT and number and not _GB11643_SHAPE.fullmatch(number):
        if _PASSPORT.fullmatch(number):
            return PASSPORT, None, False
        return None, f"护照号码应为 5–20 位英文字母或数字（{ID_CLAUSE}）", False
    return None, number_problem(number, today=today), False


def passport_finding(subject: str) -> Finding:
    """一（七）asks for the resident ID number: a worker with only a foreign passport is entered by it,
    if the department accepts the organizer's reason."""
    return waivable(
        "1.7", "passport_instead_of_id",
        f"选手 {subject} 以护照登记，无居民身份证、港澳台居民居住证或外国人永久居留身份证号码，"
        "须说明理由，由职工发展部审核",
        subject=subject,
    )
