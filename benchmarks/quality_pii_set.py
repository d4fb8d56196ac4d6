"""Generated PII test set: valid and invalid identifiers embedded in running text.

Each document is two real sentences (from the text passed in) around one phrase, in es,
ca, gl or eu, that carries one identifier: either valid (check digits right, a Spanish
phone format, a well-formed address) or a look-alike that is not PII (wrong check letter
or digit, failed Luhn, octet > 255, a 9-digit number with a non-Spanish prefix, an
address without a domain). The generator is the project's own; validity is computed with
the published algorithms, written again here independently of corpusforge.pii.
"""

from __future__ import annotations

import random

_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
PHRASES = {
    "es": "Los datos del expediente son: {x}.",
    "ca": "Les dades de l'expedient són: {x}.",
    "gl": "Os datos do expediente son: {x}.",
    "eu": "Espedientearen datuak hauek dira: {x}.",
}
KINDS = ("email", "phone", "dni", "nie", "cif", "iban", "card", "ip")


def _dni(rng: random.Random, valid: bool) -> str:
    n = rng.randint(10_000_000, 99_999_999)
    letter = _LETTERS[n % 23] if valid else rng.choice(_LETTERS.replace(_LETTERS[n % 23], ""))
    return rng.choice(["{n}{l}", "{n}-{l}", "{d}.{e}.{f}-{l}"]).format(
        n=n, l=letter, d=str(n)[:2], e=str(n)[2:5], f=str(n)[5:]
    )


def _nie(rng: random.Random, valid: bool) -> str:
    prefix, n = rng.choice("XYZ"), rng.randint(0, 9_999_999)
    right = _LETTERS[("XYZ".index(prefix) * 10_000_000 + n) % 23]
    letter = right if valid else rng.choice(_LETTERS.replace(right, ""))
    return f"{prefix}{n:07d}{letter}"


def _cif(rng: random.Random, valid: bool) -> str:
    kind = rng.choice("ABG")  # A/B: digit control; G: digit or letter
    digits = f"{rng.randint(100_000, 9_999_999):07d}"
    even = sum(int(d) for d in digits[1::2])
    odd = sum((2 * int(d)) // 10 + (2 * int(d)) % 10 for d in digits[0::2])
    control = (10 - (even + odd) % 10) % 10
    if not valid:
        control = (control + rng.randint(1, 9)) % 10
    return f"{kind}{digits}{control}"


def _iban(rng: random.Random, valid: bool) -> str:
    bban = "".join(str(rng.randint(0, 9)) for _ in range(20))
    check = 98 - int(bban + "142800") % 97  # E=14, S=28
    if not valid:
        check = (check + rng.randint(1, 96)) % 97 or 1
        if 98 - int(bban + "142800") % 97 == check:
            check = check % 96 + 1
    raw = f"ES{check:02d}{bban}"
    return " ".join(raw[i : i + 4] for i in range(0, 24, 4)) if rng.random() < 0.7 else raw


def _luhn_digit(body: str) -> int:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return (10 - total % 10) % 10


def _card(rng: random.Random, valid: bool) -> str:
    body = rng.choice(["4", "51", "55", "2221", "6011"])
    body += "".join(str(rng.randint(0, 9)) for _ in range(15 - len(body)))
    check = _luhn_digit(body)
    number = body + str(check if valid else (check + rng.randint(1, 9)) % 10)
    return " ".join(number[i : i + 4] for i in range(0, 16, 4)) if rng.random() < 0.6 else number


def _phone(rng: random.Random, valid: bool) -> str:
    first = rng.choice("6789") if valid else rng.choice("12345")
    digits = first + "".join(str(rng.randint(0, 9)) for _ in range(8))
    styles = ["{a}{b}{c}", "{a} {b} {c}", "{a}-{b}-{c}", "{p} {a} {b} {c}", "{p}{a}{b}{c}", "{a2} {b2} {c2} {d2}"]
    return rng.choice(styles).format(
        p=rng.choice(["+34", "0034", "(+34)"]),
        a=digits[:3], b=digits[3:6], c=digits[6:],
        a2=digits[:3], b2=digits[3:5], c2=digits[5:7], d2=digits[7:],
    )  # fmt: skip


def _email(rng: random.Random, valid: bool) -> str:
    user = rng.choice(["maria.garcia", "jon_etxeberria", "info", "xose.lopez+web", "premsa"]) + str(rng.randint(1, 99))
    domain = rng.choice(["example.es", "correo.eus", "exemple.cat", "concello.gal", "mail.example.com"])
    return f"{user}@{domain}" if valid else rng.choice([f"{user} arroba {domain}", f"{user}@", f"@{user}"])


def _ip(rng: random.Random, valid: bool) -> str:
    if rng.random() < 0.7:
        octets = [rng.randint(1, 254) for _ in range(4)]
        if not valid:
            octets[rng.randint(0, 3)] = rng.randint(256, 999)
        return ".".join(map(str, octets))
    if valid:
        return "2001:db8::" + ":".join(f"{rng.randint(0, 65535):x}" for _ in range(rng.randint(1, 5)))
    return f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"  # a time


MAKERS = {"email": _email, "phone": _phone, "dni": _dni, "nie": _nie, "cif": _cif, "iban": _iban,
          "card": _card, "ip": _ip}  # fmt: skip


def pii_documents(
    sentences: dict[str, list[str]], *, per_type: int, seed: int = 0
) -> list[tuple[str, str, bool, str, str]]:
    """(lang, kind, valid, identifier, document) with `per_type` valid and invalid per kind and language."""
    rng = random.Random(seed)
    docs = []
    for lang, phrase in PHRASES.items():
        for kind in KINDS:
            for valid in (True, False):
                for _ in range(per_type):
                    ident = MAKERS[kind](rng, valid)
                    text = " ".join([rng.choice(sentences[lang]), phrase.format(x=ident), rng.choice(sentences[lang])])
                    docs.append((lang, kind, valid, ident, text))
    return docs


# Nine-digit numbers with the shape of a Spanish phone, in sentences where they count something
# (not PII) or where they are phones next to the same counting words (PII). The templates were
# written for this set; the rule in corpusforge/pii/context.py was not tuned on them.
QUANTITY_TEMPLATES = {
    "es": [
        "El vídeo acumula {n} reproducciones desde su estreno.",
        "La compañía facturó {n} euros en el último ejercicio.",
        "Según el informe, la red social superó los {n} usuarios activos.",
        "El museo recibió {n} visitantes en una década.",
        "En total se contabilizaron {n} votos en la consulta.",
        "El archivo ocupa {n} bytes en el disco.",
        "La población de esta especie ronda los {n} ejemplares.",
        "El puerto movió {n} toneladas de mercancías.",
        "El canal tiene {n} suscriptores.",
        "La aplicación registró {n} descargas en su primer año.",
    ],
    "ca": [
        "El vídeo acumula {n} reproduccions des de l'estrena.",
        "L'empresa va facturar {n} euros l'últim exercici.",
        "La xarxa social va superar els {n} usuaris actius.",
        "El museu va rebre {n} visitants en una dècada.",
        "En total es van comptabilitzar {n} vots a la consulta.",
        "El fitxer ocupa {n} bytes al disc.",
        "El port va moure {n} tones de mercaderies.",
        "El canal té {n} subscriptors.",
        "L'aplicació va registrar {n} descàrregues el primer any.",
        "La campanya va recaptar {n} euros per a la recerca.",
    ],
    "gl": [
        "O vídeo acumula {n} reproducións desde a estrea.",
        "A empresa facturou {n} euros no último exercicio.",
        "A rede social superou os {n} usuarios activos.",
        "O museo recibiu {n} visitantes nunha década.",
        "En total contabilizáronse {n} votos na consulta.",
        "O ficheiro ocupa {n} bytes no disco.",
        "O porto moveu {n} toneladas de mercadorías.",
        "A canle ten {n} subscritores.",
        "A aplicación rexistrou {n} descargas no primeiro ano.",
        "A campaña recadou {n} euros para a investigación.",
    ],
    "eu": [
        "Bideoak {n} erreprodukzio ditu estreinatu zenetik.",
        "Enpresak {n} euro fakturatu zituen azken ekitaldian.",
        "Sare sozialak {n} erabiltzaile aktibo ditu.",
        "Museoak {n} bisitari jaso zituen hamarkada batean.",
        "Guztira {n} boto zenbatu ziren kontsultan.",
        "Fitxategiak {n} byte hartzen ditu diskoan.",
        "Portuak {n} tona merkantzia mugitu zituen.",
        "Kanalak {n} harpidedun ditu.",
        "Aplikazioak {n} deskarga izan zituen lehen urtean.",
        "Kanpainak {n} euro bildu zituen ikerketarako.",
    ],
}
PHONE_NEAR_COUNT_TEMPLATES = {
    "es": [
        "Para reservar entradas al museo llame al {n} de 9 a 14 horas.",
        "Si tiene dudas sobre la factura, contacte con nosotros en el {n}.",
        "Información y visitas guiadas: {n}.",
        "El usuario puede pedir cita en el {n} o en la web.",
        "Más de mil clientes nos llaman cada día al {n}.",
        "Oficina de turismo (tel. {n}), abierta todo el año.",
        "Para donaciones, envíe un Bizum al {n}.",
        "Atención al cliente {n}, de lunes a sábado.",
    ],
    "ca": [
        "Per reservar entrades al museu truqueu al {n} de 9 a 14 h.",
        "Si teniu dubtes sobre la factura, contacteu amb nosaltres al {n}.",
        "Informació i visites guiades: {n}.",
        "L'usuari pot demanar cita al {n} o al web.",
        "Més de mil clients ens truquen cada dia al {n}.",
        "Oficina de turisme (tel. {n}), oberta tot l'any.",
        "Per a donacions, envieu un Bizum al {n}.",
        "Atenció al client {n}, de dilluns a dissabte.",
    ],
    "gl": [
        "Para reservar entradas no museo chame ao {n} de 9 a 14 horas.",
        "Se ten dúbidas sobre a factura, contacte connosco no {n}.",
        "Información e visitas guiadas: {n}.",
        "O usuario pode pedir cita no {n} ou na web.",
        "Máis de mil clientes chámannos cada día ao {n}.",
        "Oficina de turismo (tel. {n}), aberta todo o ano.",
        "Para doazóns, envíe un Bizum ao {n}.",
        "Atención ao cliente {n}, de luns a sábado.",
    ],
    "eu": [
        "Museorako sarrerak erreserbatzeko deitu {n} zenbakira 9etatik 14etara.",
        "Fakturari buruzko zalantzarik baduzu, jarri gurekin harremanetan {n} telefonoan.",
        "Informazioa eta bisita gidatuak: {n}.",
        "Erabiltzaileak hitzordua eska dezake {n} zenbakian edo webgunean.",
        "Mila bezerok baino gehiagok deitzen digute egunero {n} zenbakira.",
        "Turismo bulegoa (tel. {n}), urte osoan irekita.",
        "Dohaintzak egiteko, bidali Bizum bat {n} zenbakira.",
        "Bezeroarentzako arreta {n}, astelehenetik larunbatera.",
    ],
}


# Written after the rule was fixed on the sets above and measured once before any change, as a
# held-out check: precision 0.941 (one Basque noun, "entzunaldi", missing; added since).
HELD_OUT_QUANTITY_TEMPLATES = {
    "es": [
        "La película ha recaudado {n} dólares en taquilla.",
        "El año pasado viajaron {n} pasajeros por el aeropuerto.",
        "El fondo gestiona {n} euros de patrimonio.",
        "La canción suma {n} escuchas en las plataformas.",
        "El estadio vendió {n} entradas en toda la temporada.",
    ],
    "ca": [
        "La pel·lícula ha recaptat {n} dòlars a la taquilla.",
        "L'any passat van viatjar {n} passatgers per l'aeroport.",
        "El fons gestiona {n} euros de patrimoni.",
        "La cançó suma {n} escoltes a les plataformes.",
        "L'estadi va vendre {n} entrades durant la temporada.",
    ],
    "gl": [
        "A película recadou {n} dólares na billeteira.",
        "O ano pasado viaxaron {n} pasaxeiros polo aeroporto.",
        "O fondo xestiona {n} euros de patrimonio.",
        "A canción suma {n} escoitas nas plataformas.",
        "O estadio vendeu {n} entradas en toda a tempada.",
    ],
    "eu": [
        "Filmak {n} dolar bildu ditu leihatilan.",
        "Iaz {n} bidaiarik erabili zuten aireportua.",
        "Funtsak {n} euroko ondarea kudeatzen du.",
        "Abestiak {n} entzunaldi ditu plataformetan.",
        "Estadioak {n} sarrera saldu zituen denboraldian.",
    ],
}
HELD_OUT_PHONE_TEMPLATES = {
    "es": [
        "Reservas de grupos de más de veinte personas: {n}.",
        "Para pedir presupuesto sin compromiso, escríbanos por WhatsApp al {n}.",
        "Puede dejar su mensaje en el contestador del {n}.",
        "Teléfono gratuito para los usuarios del servicio: {n}.",
    ],
    "ca": [
        "Reserves de grups de més de vint persones: {n}.",
        "Per demanar pressupost sense compromís, escriviu-nos per WhatsApp al {n}.",
        "Podeu deixar el vostre missatge al contestador del {n}.",
        "Telèfon gratuït per als usuaris del servei: {n}.",
    ],
    "gl": [
        "Reservas de grupos de máis de vinte persoas: {n}.",
        "Para pedir orzamento sen compromiso, escríbanos por WhatsApp ao {n}.",
        "Pode deixar a súa mensaxe no contestador do {n}.",
        "Teléfono gratuíto para os usuarios do servizo: {n}.",
    ],
    "eu": [
        "Hogei pertsonatik gorako taldeen erreserbak: {n}.",
        "Aurrekontua eskatzeko, idatzi WhatsApp bidez {n} zenbakira.",
        "Zure mezua {n} zenbakiko erantzungailuan utz dezakezu.",
        "Zerbitzuaren erabiltzaileentzako doako telefonoa: {n}.",
    ],
}


def _nine_digits(rng: random.Random) -> str:
    return rng.choice("6789") + "".join(str(rng.randint(0, 9)) for _ in range(8))


def _quantity(rng: random.Random) -> str:
    """A count written as people write large numbers: grouped by three with spaces, or round."""
    digits = _nine_digits(rng)
    if rng.random() < 0.3:
        digits = digits[:3] + "000000" if rng.random() < 0.5 else digits[0] + "00000000"
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}" if rng.random() < 0.8 else digits


def _phone_in_context(rng: random.Random) -> str:
    digits = _nine_digits(rng)
    styles = ["{a} {b} {c}", "{a}{b}{c}", "{a}-{b}-{c}", "{a2} {b2} {c2} {d2}", "+34 {a} {b} {c}"]
    return rng.choice(styles).format(
        a=digits[:3], b=digits[3:6], c=digits[6:],
        a2=digits[:3], b2=digits[3:5], c2=digits[5:7], d2=digits[7:],
    )  # fmt: skip


def context_documents(
    *, per_template: int, seed: int = 1, held_out: bool = False
) -> list[tuple[str, str, bool, str, str]]:
    """(lang, "phone", valid, number, sentence): quantities (valid False) and phones (valid True)."""
    rng = random.Random(seed)
    docs = []
    sets = ((HELD_OUT_QUANTITY_TEMPLATES, False, _quantity), (HELD_OUT_PHONE_TEMPLATES, True, _phone_in_context))
    if not held_out:
        sets = ((QUANTITY_TEMPLATES, False, _quantity), (PHONE_NEAR_COUNT_TEMPLATES, True, _phone_in_context))
    for templates, valid, make in sets:
        for lang, phrases in templates.items():
            for phrase in phrases:
                for _ in range(per_template):
                    number = make(rng)
                    docs.append((lang, "phone", valid, number, phrase.format(n=number)))
    return docs
