"""Valencian and central-Catalan marker forms, grouped into features.

These are the forms the Valencian standard (AVL) prefers where central Catalan (IEC, as used
in Barcelona) prefers another: possessives meua/meva, demonstratives este/aquest, inchoative
-ix/-eix, subjunctives siga/sigui, infinitives tindre/tenir, participles establit/establert,
first persons decrete/decreto, accents interés/interès, and everyday vocabulary (hui/avui,
xiquet/nen, eixir/sortir, ací/aquí). Each group is one feature, so the learned weights stay
few, readable and hard to fit to register or topic. Words valid in both standards are absent;
forms that both standards accept but one clearly prefers (duració/durada, pròxim/proper) sit
in the weaker `preferred` groups. The inventory was checked against the Catalan/Valencian
pairs of `lid-train-extra/po-variety` (same strings, two standards) and against legal text of
both gazettes in `lid-train` (DOGV against DOGC/BOIB lines), never against `lid-dev`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from language_id.varietytokens import Tokens

# feature name -> forms (lower case). "val:" features point to Valencian, "cen:" to central.
WORD_GROUPS: dict[str, tuple[str, ...]] = {
    "val:possessive": ("meua", "meues", "teua", "teues", "seua", "seues"),
    "cen:possessive": ("meva", "meves", "teva", "teves", "seva", "seves"),
    "val:demonstrative": (
        "este",
        "esta",
        "estos",
        "estes",
        "eixe",
        "eixa",
        "eixos",
        "eixes",
        "açò",
        "aquestos",
        "aqueix",
        "aqueixa",
        "aqueixos",
        "aqueixes",
    ),
    "cen:demonstrative": ("aquest", "aquesta", "aquests", "aquestes"),
    "val:subjunctive": (
        "siga",
        "siguen",
        "haja",
        "hages",
        "hagen",
        "puga",
        "pugues",
        "puguen",
        "tinga",
        "tinguen",
        "faça",
        "faces",
        "facen",
        "vullga",
        "vullguen",
        "diga",
        "diguen",
        "vaja",
        "vagen",
        "isca",
        "isquen",
        "estiga",
        "estiguen",
        "oferisca",
        "oferisquen",
        "permeta",
        "establisca",
        "establisquen",
        "corresponga",
        "corresponguen",
        "obtinga",
        "obtinguen",
        "mantinga",
        "mantinguen",
        "continga",
        "continguen",
        "vinga",
        "vinguen",
        "prenga",
        "prenguen",
        "done",
        "conega",
        "coneguen",
        "valga",
        "valguen",
        "càpia",
        "càpien",
    ),
    "cen:subjunctive": (
        "sigui",
        "siguis",
        "siguin",
        "hagi",
        "hagis",
        "hagin",
        "pugui",
        "puguis",
        "puguin",
        "tingui",
        "tinguis",
        "tinguin",
        "faci",
        "facis",
        "facin",
        "vulgui",
        "vulguin",
        "digui",
        "diguin",
        "vagi",
        "vagin",
        "estigui",
        "estiguin",
        "permeti",
        "permetin",
        "estableixi",
        "estableixin",
        "ofereixi",
        "ofereixin",
        "doni",
        "donin",
        "correspongui",
        "corresponguin",
        "obtingui",
        "obtinguin",
        "mantingui",
        "mantinguin",
        "contingui",
        "continguin",
        "vingui",
        "vinguin",
        "prengui",
        "prenguin",
        "conegui",
        "coneguin",
        "valgui",
        "valguin",
        "càpiga",
        "càpiguen",
    ),
    "val:past_subjunctive": (
        "haguera",
        "hagueren",
        "poguera",
        "pogueren",
        "tinguera",
        "tingueren",
        "estiguera",
        "diguera",
        "vinguera",
        "fóra",
        "fórem",
    ),
    "cen:past_subjunctive": (
        "fos",
        "fossin",
        "hagués",
        "haguessin",
        "pogués",
        "poguessin",
        "tingués",
        "tinguessin",
        "estigués",
        "fessin",
        "digués",
        "vingués",
    ),
    "val:infinitive_indre": (
        "tindre",
        "vindre",
        "mantindre",
        "obtindre",
        "contindre",
        "detindre",
        "retindre",
        "sostindre",
        "previndre",
        "convindre",
        "intervindre",
        "provindre",
        "abstindre",
        "traure",
        "extraure",
        "atraure",
        "distraure",
        "contraure",
        "nàixer",
        "paréixer",
    ),
    "cen:infinitive_enir": (
        "tenir",
        "venir",
        "mantenir",
        "obtenir",
        "contenir",
        "detenir",
        "retenir",
        "sostenir",
        "prevenir",
        "convenir",
        "intervenir",
        "provenir",
        "abstenir",
        "treure",
        "extreure",
        "atreure",
        "distreure",
        "contreure",
        "néixer",
    ),
    # Participles of establir (establit/establert) and ser (sigut/estat: only sigut is distinct).
    "val:participle": ("establit", "establits", "establida", "establides", "sigut", "siguts", "siguda"),
    "cen:participle": ("establert", "establerts", "establerta", "establertes"),
    # First person singular present: Valencian -e (decrete, propose), central -o (decreto, proposo).
    "val:first_person": (
        "decrete",
        "dispose",
        "acorde",
        "propose",
        "declare",
        "ordene",
        "certifique",
        "nomene",
        "encomane",
        "considere",
        "pense",
        "parle",
        "treballe",
        "estime",
        "espere",
        "necessite",
        "recorde",
        "demane",
        "agraïsc",
        "isc",
    ),
    "cen:first_person": (
        "decreto",
        "disposo",
        "acordo",
        "proposo",
        "declaro",
        "ordeno",
        "certifico",
        "nomeno",
        "encomano",
        "considero",
        "penso",
        "parlo",
        "treballo",
        "estimo",
        "necessito",
        "recordo",
        "demano",
        "agraeixo",
        "surto",
    ),
    "val:lexicon": (
        "hui",
        "ací",
        "xiquet",
        "xiqueta",
        "xiquets",
        "xiquetes",
        "xicotet",
        "xicoteta",
        "xicotets",
        "xicotetes",
        "eixir",
        "ix",
        "ixen",
        "eixint",
        "eixida",
        "eixides",
        "eixit",
        "vore",
        "prompte",
        "arrere",
        "faena",
        "faenes",
        "espill",
        "granera",
        "mentres",
        "huit",
        "dèsset",
        "díhuit",
        "dènou",
        "alçària",
        "amplària",
        "servici",
        "servicis",
        "juí",
        "perjuí",
        "creïlla",
        "bresquilla",
        "afig",
        "afigen",
        "orde",
        "ordes",
        "davall",
        "avant",
        "abaix",
        "arrancada",
        "arrancar",
        "pareix",
        "pareixen",
        "hòmens",
        "jóvens",
        "vesprada",
        "dacsa",
        "tomaca",
        # obrir and llegir in the Valencian standard (obri, llig); central obre, llegeix
        "obri",
        "llig",
        "lligen",
        "lliges",
        "mantín",
    ),
    "cen:lexicon": (
        "avui",
        "aquí",
        "nen",
        "nena",
        "nens",
        "nenes",
        "noi",
        "noia",
        "nois",
        "noies",
        "petit",
        "petita",
        "petits",
        "petites",
        "sortir",
        "surt",
        "surten",
        "sortida",
        "sortides",
        "aviat",
        "enrere",
        "feina",
        "feines",
        "mirall",
        "escombra",
        "vuit",
        "disset",
        "divuit",
        "dinou",
        "desa",
        "desar",
        "desat",
        "patata",
        "préssec",
        "aleshores",
        "alçada",
        "amplada",
        "arrencada",
        "arrencar",
        "sembla",
        "semblen",
    ),
    # Forms both standards accept, one clearly prefers: weak evidence.
    "val:preferred": (
        "duració",
        "pròxim",
        "pròxima",
        "pròxims",
        "pròximes",
        "distint",
        "distinta",
        "distints",
        "distintes",
        "buscar",
        "busca",
        "busquen",
        "roig",
        "roja",
        "rojos",
        "roges",
    ),
    "cen:preferred": (
        "durada",
        "proper",
        "propera",
        "propers",
        "properes",
        "cercar",
        "cerca",
        "cerquen",
        "vermell",
        "vermella",
        "vermells",
        "vermelles",
        "sens",
        "endavant",
        "obre",  # the Valencian standard accepts it beside obri
    ),
    # Proclitic us is central; its Valencian counterpart vos is also central after a verb
    # (apunteu-vos), so only us counts.
    "cen:pronoun_us": ("us",),
}

# Stressed e: central è, Valencian é, in these words only (procés, accés, també, només are
# written alike in both standards and are not here). The Valencian form is the central one
# with its last è written é.
_OPEN_E_WORDS = (
    "interès",
    "conèixer",
    "reconèixer",
    "desconèixer",
    "aparèixer",
    "desaparèixer",
    "comparèixer",
    "merèixer",
    "parèixer",
    "convèncer",
    "vèncer",
    "atès",
    "entès",
    "estès",
    "pretès",
    "depèn",
    "comprèn",
    "aprèn",
    "sorprèn",
    "emprèn",
    "suspèn",
    "desprèn",
    "reprèn",
    "ofèn",
    "defèn",
    "emès",
    "permès",
    "imprès",
    "compromès",
    "sotmès",
    "admès",
    "comès",
    "omès",
    "remès",
    "transmès",
    "promès",
    "malmès",
    "comprès",
    "suspès",
    "sorprès",
    "comitè",
    "comitès",
    "vostè",
    "vostès",
    "cafè",
    "cafès",
    "mercè",
    "bebè",
    "bebès",
    "alié",
    "séquia",
    "cinquè",
    "sisè",
    "setè",
    "vuitè",
    "novè",
    "desè",
    "onzè",
    "dotzè",
    "tretzè",
    "catorzè",
    "quinzè",
    "vintè",
    "centè",
    "milè",
    "anglès",
    "francès",
    "aranès",
    "xinès",
    "japonès",
    "portuguès",
    "holandès",
    "ucraïnès",
    "navarrès",
    "escocès",
    "irlandès",
    "danès",
    "finlandès",
    "libanès",
    "gal·lès",
    "albanès",
    "milanès",
    "genovès",
    "calabrès",
    "pequinès",
    "marquès",
    "pagès",
    "burgès",
    "cortès",
)


def _closed(word: str) -> str:
    i = word.rfind("è")
    return word if i < 0 else word[:i] + "é" + word[i + 1 :]


_CENTRAL_OPEN_E = frozenset(w for w in _OPEN_E_WORDS if "è" in w)
_VALENCIAN_CLOSED_E = frozenset(_closed(w) for w in _CENTRAL_OPEN_E) | frozenset(
    w for w in _OPEN_E_WORDS if "è" not in w
)
# Their feminine and plural forms carry no accent (anglesa, compromesos): nothing to count.

# Verbs whose -eix / -eixen is not inchoative, so it says nothing about the variety.
_NOT_INCHOATIVE = frozenset(
    [
        "mateix",
        "baix",
        "peix",
        "eix",
        "feix",
        "greix",
        "coneix",
        "reconeix",
        "creix",
        "decreix",
        "neix",
        "apareix",
        "desapareix",
        "compareix",
        "mereix",
        "carreix",
        "deix",
        "aleix",
        "fixen",
        "fixes",
        "prefix",
        "sufix",
        "afix",
        "risc",
        "disc",
        "asterisc",
        "obelisc",
        "mateixa",
        "mateixos",
        "mateixes",
        "baixes",
        "peixos",
    ]
)

TOKEN_RE = re.compile(r"[^\W\d_]+(?:·[^\W\d_]+)?")
WORD_FEATURE: dict[str, str] = {w: name for name, words in WORD_GROUPS.items() for w in words}
WORD_FEATURE.update({w: "val:accent_closed_e" for w in _VALENCIAN_CLOSED_E})
WORD_FEATURE.update({w: "cen:accent_open_e" for w in _CENTRAL_OPEN_E})

SUFFIX_FEATURES = (
    "val:inchoative_ix",  # servix, oferix, servixen, produïx
    "cen:inchoative_eix",  # serveix, ofereix, serveixen, produeix
    "val:inchoative_isc",  # servisc, oferisca, produïsca (first person and subjunctive)
    "cen:inchoative_eixo",  # serveixo, ofereixi, produeixin
    "val:accent_closed_e",  # interés, conéixer, cinqué, anglés (listed words only)
    "cen:accent_open_e",  # interès, conèixer, cinquè, anglès
    "val:subjunctive_e",  # que incremente, que no supere (present subjunctive of -ar verbs)
    "cen:subjunctive_i",  # que incrementi, que no superi
)
# Words after which a verb is likely subjunctive ("que", "perquè", "quan"), and the clitics that may
# sit between (not articles: in "que el projecte" the -e word is a noun).
# "no" too: a negative imperative is a present subjunctive (no mostris / no mostres).
_SUBJUNCTIVE_TRIGGERS = frozenset(["que", "perquè", "quan", "no"])
_CLITICS = frozenset(
    ["no", "es", "s", "se", "li", "hi", "ho", "en", "n", "ne", "ens", "us", "vos", "em", "m", "et", "t", "ja", "també"]
)
# Frequent words ending in -e or -i that are not subjunctive verbs.
_NOT_SUBJUNCTIVE = frozenset(
    [
        "entre",
        "sobre",
        "sense",
        "sempre",
        "mentre",
        "davant",
        "este",
        "aquí",
        "així",
        "quasi",
        "pare",
        "mare",
        "home",
        "jove",
        "nostre",
        "tothom",
        "abans",
        "encara",
        "alguns",
        "altre",
        "aquell",
        "vostre",
        "ordre",
        "segle",
        "gairebé",
        "també",
        "fins",
        "contra",
        "dins",
        "durant",
        "ahir",
        "potser",
        "dimarts",
        "dilluns",
        "dimecres",
        "dijous",
        "divendres",
        "gaire",
        "gaires",
        "gratis",
        "tennis",
        "iris",
    ]
)
FEATURES: tuple[str, ...] = tuple(WORD_GROUPS) + SUFFIX_FEATURES

# Administrative-register words, the same in both standards. They decide nothing about the
# variety; they say that a text is official/administrative, where the gazette model of
# `variety.py` (trained on administrative text of both standards only) may speak.
REGISTER_WORDS = (
    "resolució", "decret", "article", "termini", "sol·licitud", "sol·licituds", "disposició", "ordre", "orde",
    "convocatòria", "subvenció", "subvencions", "expedient", "llei", "reglament", "administració", "annex",
    "procediment", "bases", "règim", "òrgan", "tràmit", "normativa", "requisits", "beneficiàries", "beneficiaris",
)  # fmt: skip
REGISTER_RE = re.compile(r"\b(?:" + "|".join(REGISTER_WORDS) + r")\b")


def register_hits(text: str) -> int:
    """Number of administrative-register words in `text`, in any case (see `REGISTER_RE`;
    matched on the lower-cased text: a case-insensitive alternation costs 2.5x as much)."""
    return len(REGISTER_RE.findall(text.lower()))


# Words ending in -ix/-isc that are not inchoative verbs (fèlix, visca, marisc, arrisca).
_NOT_INCHOATIVE_IX = frozenset(
    [
        "fèlix",
        "remix",
        "apèndix",
        "visca",
        "visques",
        "visquen",
        "arrisca",
        "arrisques",
        "arrisquen",
        "rellisca",
        "rellisquen",
        "llisca",
        "llisquen",
        "brisca",
        "marisc",
        "mariscs",
        "muisca",
        "confisca",
        "confisquen",
        "pellisca",
        "mordisca",
    ]
)
_VOWELS = frozenset("aeiouàèéíòóú")


# Every ending `_suffix_feature` tests: `count_features` calls it only for tokens with one of them.
_INCHOATIVE_ENDINGS = ("ix", "ixen", "ixes", "ïx", "ïxen", "ïxes", "eixo", "eixi", "eixin", "eixis", "isc", "isca",
                       "isquen", "isques", "ïsc", "ïsca", "ïsquen", "ïsques")  # fmt: skip


def _suffix_feature(token: str) -> str | None:
    """Feature of a token by its ending (inchoative verbs), or None."""
    if len(token) < 5 or token in _NOT_INCHOATIVE or token in _NOT_INCHOATIVE_IX:
        return None
    if token.endswith(("eix", "eixen", "eixes")):
        return "cen:inchoative_eix"
    if token.endswith(("ïx", "ïxen", "ïxes")):
        return "val:inchoative_ix"
    if token.endswith(("ix", "ixen", "ixes")):
        # servix, establixen; not baix, calaix, dibuix, caixes (a vowel before -ix)
        stem = token[: -len("ix")] if token.endswith("ix") else token[: -len("ixen")]
        return "val:inchoative_ix" if stem[-1:] not in _VOWELS else None
    if token.endswith(("eixo", "eixi", "eixin", "eixis")):
        return "cen:inchoative_eixo"
    if token.endswith(("isc", "isca", "isquen", "isques", "ïsc", "ïsca", "ïsquen", "ïsques")):
        return "val:inchoative_isc"
    return None


def count_features(text: str) -> dict[str, int]:
    """Marker feature -> number of occurrences in `text` (case-insensitive).

    Cost: one regex pass over the text and a dict lookup per word (~0.5 µs per 10 words): what
    a word contributes is worked out once per distinct word (`_word_info`).
    """
    counts: dict[str, int] = {}
    after_trigger = False
    get = _WORD_INFO.get
    for word in TOKEN_RE.findall(text):
        name, after_trigger_name, trigger, clitic = get(word) or _word_info(word)
        if name is None and after_trigger:
            name = after_trigger_name
        if name is not None:
            counts[name] = counts.get(name, 0) + 1
        after_trigger = trigger or (after_trigger and clitic)
    return counts


def count_features_batch(tokens: Tokens) -> list[dict[str, int]]:
    """`count_features` of each text of a tokenised batch (`varietytokens.tokenize`'s marker
    tokens): the same counts, in the same order (of first occurrence). What each distinct word
    contributes is looked up once; "after a trigger" is worked out for every token at once."""
    out: list[dict[str, int]] = [{} for _ in range(len(tokens.offsets) - 1)]
    if not len(tokens.ids):
        return out
    infos = [_WORD_INFO.get(word) or _word_info(word) for word in tokens.distinct]
    names = {name: i for i, name in enumerate(FEATURES)}
    for name, after_trigger_name, _, _ in infos:  # a name outside FEATURES still gets an index
        for n in (name, after_trigger_name):
            if n is not None and n not in names:
                names[n] = len(names)
    name_of = np.array([names[n] if n else -1 for n, _, _, _ in infos], dtype=np.int64)[tokens.ids]
    after_name_of = np.array([names[n] if n else -1 for _, n, _, _ in infos], dtype=np.int64)[tokens.ids]
    trigger = np.array([t for _, _, t, _ in infos], dtype=bool)[tokens.ids]
    clitic = np.array([c for _, _, _, c in infos], dtype=bool)[tokens.ids]
    # A token follows a trigger when the last token before it that is a trigger or not a clitic
    # (the last "stop") is a trigger of the same text: clitics in between keep the effect.
    index = np.arange(len(tokens.ids))
    text_of = np.repeat(np.arange(len(tokens.offsets) - 1), np.diff(tokens.offsets))
    last_stop = np.maximum.accumulate(np.where(trigger | ~clitic, index, -1))
    stop_before = np.concatenate([[-1], last_stop[:-1]])
    after_trigger = (stop_before >= tokens.offsets[text_of]) & trigger[np.maximum(stop_before, 0)]
    feature = np.where(name_of >= 0, name_of, np.where(after_trigger, after_name_of, -1))
    counted = feature >= 0
    keys = text_of[counted] * len(names) + feature[counted]
    unique, first, counts = np.unique(keys, return_index=True, return_counts=True)
    order = np.argsort(first, kind="stable")  # each text's features in order of first occurrence
    feature_names = list(names)
    for key, n in zip(unique[order].tolist(), counts[order].tolist(), strict=True):
        text, f = divmod(key, len(names))
        out[text][feature_names[f]] = n
    return out


_WordInfo = tuple[str | None, str | None, bool, bool]
_WORD_INFO: dict[str, _WordInfo] = {}
_WORD_INFO_MAX = 200_000  # distinct words remembered (~40 MB at most); forgotten all at once beyond


def _word_info(word: str) -> _WordInfo:
    """(feature of the word, feature it has right after a trigger word, whether it is a trigger,
    whether it is a clitic that keeps a trigger's effect) for a token as `TOKEN_RE` finds it."""
    token = word.lower()
    name = WORD_FEATURE.get(token) or (_suffix_feature(token) if token.endswith(_INCHOATIVE_ENDINGS) else None)
    after_trigger_name = name
    if name is None and word[0].islower():  # not "que Danielle"
        after_trigger_name = _subjunctive_feature(token)
    info = (name, after_trigger_name, token in _SUBJUNCTIVE_TRIGGERS, token in _CLITICS)
    if len(_WORD_INFO) >= _WORD_INFO_MAX:
        _WORD_INFO.clear()
    _WORD_INFO[word] = info
    return info


# Endings of nouns and infinitives, not of -ar subjunctives (projecte, imatge, poble, llibre).
_NOT_SUBJUNCTIVE_ENDINGS = ("tge", "ble", "cte", "isme", "bre", "cre", "dre", "gre", "pre", "tre", "rre", "ogle")


def _subjunctive_feature(token: str) -> str | None:
    """After "que"/"perquè"/"quan": Valencian -ar subjunctives end in -e, central ones in -i."""
    if len(token) < 4 or token in _NOT_SUBJUNCTIVE:
        return None
    if token.endswith("e"):
        return None if token.endswith(_NOT_SUBJUNCTIVE_ENDINGS) else "val:subjunctive_e"
    if token.endswith(("i", "in", "is")):  # incrementi, incrementin, incrementis (Valencian -es is
        return "cen:subjunctive_i"  # also the indicative, so only the central side counts there)
    return None
