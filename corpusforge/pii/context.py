"""Is this nine-digit number a phone or a quantity? The words around it decide.

"La web registró 600 123 456 visitas" has the shape of a Spanish phone number, but a verb of
counting before it and a counting noun after it make it a quantity. The rule, in order:

1. a number written with the +34 / 0034 / (+34) prefix is a phone (nobody counts that way);
2. a phone word shortly before it ("teléfono", "llame al", "truqueu al", "chame ao", "deitu",
   "fax", "WhatsApp") makes it a phone, whatever follows;
3. a verb of counting or a quantifier right before it ("registró", "va rebre", "rexistrou",
   "más de", "un total de", "guztira"), or a counting noun right after it ("visitas", "euros",
   "usuaris", "bisita", "erabiltzaile"; "de"/"d'" may come between), makes it a quantity;
4. otherwise it is a phone (the default keeps recall: most such numbers on the web are phones).

"Right before/after" means only spaces between: "612 345 678, visitas" stays a phone. Word lists
cover Spanish, Catalan (and Valencian), Galician and Basque; nouns match by their stem, so
plural and Basque case endings ("euroko", "bisitari") are covered.
"""

from __future__ import annotations

import re

# Phone words anywhere in the few words before the number.
_PHONE_CUE = re.compile(
    r"(?:\btel[eéè]?f?\w*|\btfno|\btlf|\bm[oóò][bv]il\w*|\bcelular|\bllam\w*|\btruc\w*|\btruqu\w*|"
    r"\bcham\w*|\bdeitu\w*|\bcontact\w*|\bfax|\bwhats\s?app|\bsms\b|\bbizum)\W[^.;!?\n]{0,32}$",
    re.IGNORECASE,
)

_QUANTIFIERS = (
    r"m[aá]s\s+de|menos\s+de|un\s+total\s+de|cerca\s+de|casi|alrededor\s+de|aproximadamente|unos|unas"  # es
    r"|m[eé]s\s+de|menys\s+de|prop\s+de|gaireb[eé]|quasi|uns|unes|al\s+voltant\s+de"  # ca
    r"|m[aá]is\s+de|preto\s+de|arredor\s+de|case|uns|unhas"  # gl
    r"|guztira|ia|gutxi\s+gorabehera|gutxienez"  # eu
)
_COUNTING_VERBS = (
    # es: preterite, present and participle of verbs whose object is a count
    r"registr[oó]|registra(?:ron|n|do)?|sum[oó]|suma(?:ron|n)?|alcanz[oó]|alcanza(?:ron|n|do)?|super[oó]"
    r"|supera(?:ron|n|do)?|contabiliz\w+|recibi[oó]|recibe|recibieron|obtuvo|obtuvieron|acumul\w+|totaliz\w+"
    r"|recaud\w+|cost[oó]|cuesta|vendi[oó]|vendieron|factur\w+|ingres[oó]|rond[oó]|ronda|roza|roz[oó]"
    # ca: periphrastic past "va/van + infinitive" and present
    r"|(?:va|van|ha|han)\s+(?:rebre|rebut|registrar|registrat|sumar|sumat|assolir|assolit|superar|superat"
    r"|comptabilitzar|comptabilitzat|obtenir|obtingut|acumular|acumulat|recaptar|recaptat|costar|costat"
    r"|vendre|venut|facturar|facturat|arribar\s+a)"
    r"|rep|reben|assoleix|comptabilitza"
    # gl
    r"|rexistrou|rexistra|sumou|acadou|acada|superou|contabilizou|recibiu|obtivo|acumulou|recadou|custou"
    r"|vendeu|facturou|alcanzou"
)
_COUNT_BEFORE = re.compile(
    rf"\b(?:(?:{_COUNTING_VERBS})(?:\s+(?:{_QUANTIFIERS}))?|(?:{_QUANTIFIERS}))\s*$",
    re.IGNORECASE,
)

# Stems of what one counts in web text; a stem matches the word's beginning.
_NOUN_STEMS = (
    # people and audiences
    r"visit|usuari|user|habitant|persona|persoa|person|votant|vot|espectador|lector|seguidor|client|alumn"
    r"|estudiant|trabajador|treballador|traballador|emplead|turist|pasajer|passatger|pasaxeir|viajer|viatger"
    r"|socio|soci|afiliad|abonad|suscri|subscri|inscri|matricul|participant|asistent|assistent|oyente|oient"
    r"|ouvinte|fan|miembr|membre|membro"
    r"|muert|mort|falec|herid|ferit|infectad|cas(?:o|os)\b|contagi|dosi|vacun"
    # things counted on the web and in the news
    r"|descarg|desc[aà]rreg|reproduc|escucha|escolta|escoita|visualitzaci|visualizaci|visionad|clic|p[aàá]gin|p[aá]xin"
    r"|ejemplar|exemplar|copia|c[oò]pi|unidad|unitat|unidade|registr|entrad|mensaj|missatge|mensax"
    r"|acci[oó]n|acci|firma|signatur|sinatur|tuit|tweet|like|me\s+gusta|barril|paquet|env[ií]o|llibre|libro"
    r"|veh[ií]cul|cotxe|coche|turismo|habitatge|vivienda|vivenda"
    # money and units
    r"|euro|eur\b|€|d[oòó]lar|libra|lliure|yen|iene|peso|yuan|km|kil[oó]|quil[oò]|metr|tonelad|tona|tones|litr"
    r"|hect[aà]re|hectare|kwh|mwh|gwh|byte|mb\b|gb\b|tb\b|vez\b|veces|vegad"
    # eu (stems take case endings: bisitari, erabiltzaileek, euroko)
    r"|bisita|erabiltzaile|biztanle|pertsona|lagun|boto|ikasle|langile|bidaiari|deskarga|orri|ale\b"
    r"|harpidedun|erreprodukzio|ikustaldi|parte-hartzaile|entzule|entzunaldi"
    r"|unitate|kilometro|urte|egun|ordu|aldiz|jarraitzaile|irakurle|ikusle|sinadura|mezu|sarrera|hildako"
)
_COUNT_AFTER = re.compile(rf"\s*(?:de\s+|d['’]\s*)?(?:{_NOUN_STEMS})", re.IGNORECASE)

_WINDOW = 48  # characters looked at on each side


def is_quantity(text: str, start: int, end: int) -> bool:
    """True when the number at `text[start:end]` reads as a count, not a phone (rules 2-3 above)."""
    before = text[max(0, start - _WINDOW) : start]
    if _PHONE_CUE.search(before):
        return False
    return _COUNT_BEFORE.search(before) is not None or _COUNT_AFTER.match(text, end, end + _WINDOW) is not None
