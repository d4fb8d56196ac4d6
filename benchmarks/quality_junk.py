"""Generated junk for the quality benchmark: what a web crawl yields besides prose.

Ten kinds, each in es, ca, ca-valencia, eu and gl: SEO keyword lists, navigation menus,
repeated lines, lorem ipsum, keyword-stuffed SEO spam, word salad (machine-generated
junk), cookie/legal notice pages, product/price listings, code or JSON dumps and hashtag
clouds. Vocabulary comes from sentences passed in (the benchmark uses lid-train, which is
training text); the templates are the project's own.
"""

from __future__ import annotations

import random
import re

# (keywords, cities, shop words, menu words) per language; written for this benchmark.
LEXICON: dict[str, dict[str, list[str]]] = {
    "es": {
        "kw": ["zapatos baratos", "hoteles en oferta", "seguros de coche", "préstamos rápidos", "muebles de jardín",
               "móviles libres", "vuelos low cost", "abogados divorcio"],
        "city": ["Madrid", "Sevilla", "Valencia", "Bilbao", "Zaragoza", "Málaga"],
        "shop": ["Comprar", "Oferta", "Envío gratis", "Añadir al carrito", "Precio", "Descuento"],
        "menu": ["Inicio", "Quiénes somos", "Servicios", "Blog", "Contacto", "Aviso legal", "Mi cuenta", "Buscar",
                 "Categorías", "Novedades", "Ofertas", "Iniciar sesión"],
        "cookie": ["Utilizamos cookies propias y de terceros para mejorar nuestros servicios.",
                   "Si continúa navegando, consideramos que acepta su uso.", "Más información en nuestra política de cookies.",
                   "Aceptar cookies", "Configurar", "Política de privacidad", "Aviso legal"],
    },
    "ca": {
        "kw": ["sabates barates", "hotels en oferta", "assegurances de cotxe", "préstecs ràpids", "mobles de jardí",
               "mòbils lliures", "vols barats", "advocats divorci"],
        "city": ["Barcelona", "Girona", "Lleida", "Tarragona", "Reus", "Manresa"],
        "shop": ["Comprar", "Oferta", "Enviament gratuït", "Afegir a la cistella", "Preu", "Descompte"],
        "menu": ["Inici", "Qui som", "Serveis", "Blog", "Contacte", "Avís legal", "El meu compte", "Cercar",
                 "Categories", "Novetats", "Ofertes", "Inicia la sessió"],
        "cookie": ["Utilitzem galetes pròpies i de tercers per millorar els nostres serveis.",
                   "Si continueu navegant, considerem que n'accepteu l'ús.", "Més informació a la política de galetes.",
                   "Acceptar galetes", "Configurar", "Política de privacitat", "Avís legal"],
    },
    "ca-valencia": {
        "kw": ["sabates barates", "hotels en oferta", "assegurances de cotxe", "préstecs ràpids", "mobles de jardí",
               "mòbils lliures", "vols barats", "advocats divorci"],
        "city": ["València", "Alacant", "Castelló", "Elx", "Gandia", "Alcoi"],
        "shop": ["Comprar", "Oferta", "Enviament gratuït", "Afegir a la cistella", "Preu", "Descompte"],
        "menu": ["Inici", "Qui som", "Servicis", "Blog", "Contacte", "Avís legal", "El meu compte", "Cercar",
                 "Categories", "Novetats", "Ofertes", "Inicia la sessió"],
        "cookie": ["Utilitzem galetes pròpies i de tercers per a millorar els nostres servicis.",
                   "Si continueu navegant, considerem que n'accepteu l'ús.", "Més informació en la política de galetes.",
                   "Acceptar galetes", "Configurar", "Política de privacitat", "Avís legal"],
    },
    "eu": {
        "kw": ["zapata merkeak", "hotel eskaintzak", "auto aseguruak", "mailegu azkarrak", "lorategiko altzariak",
               "mugikor libreak", "hegaldi merkeak", "dibortzio abokatuak"],
        "city": ["Bilbo", "Donostia", "Gasteiz", "Iruñea", "Getxo", "Irun"],
        "shop": ["Erosi", "Eskaintza", "Doako bidalketa", "Saskira gehitu", "Prezioa", "Deskontua"],
        "menu": ["Hasiera", "Nor gara", "Zerbitzuak", "Bloga", "Kontaktua", "Lege oharra", "Nire kontua", "Bilatu",
                 "Kategoriak", "Berritasunak", "Eskaintzak", "Saioa hasi"],
        "cookie": ["Gure zerbitzuak hobetzeko cookieak erabiltzen ditugu.",
                   "Nabigatzen jarraitzen baduzu, erabilera onartzen duzula ulertuko dugu.",
                   "Informazio gehiago cookie politikan.", "Cookieak onartu", "Konfiguratu", "Pribatutasun politika",
                   "Lege oharra"],
    },
    "gl": {
        "kw": ["zapatos baratos", "hoteis en oferta", "seguros de coche", "préstamos rápidos", "mobles de xardín",
               "móbiles libres", "voos baratos", "avogados divorcio"],
        "city": ["Vigo", "A Coruña", "Santiago", "Ourense", "Lugo", "Pontevedra"],
        "shop": ["Mercar", "Oferta", "Envío gratuíto", "Engadir ao carro", "Prezo", "Desconto"],
        "menu": ["Inicio", "Quen somos", "Servizos", "Blog", "Contacto", "Aviso legal", "A miña conta", "Buscar",
                 "Categorías", "Novidades", "Ofertas", "Iniciar sesión"],
        "cookie": ["Empregamos cookies propias e de terceiros para mellorar os nosos servizos.",
                   "Se continúa navegando, consideramos que acepta o seu uso.",
                   "Máis información na nosa política de cookies.", "Aceptar cookies", "Configurar",
                   "Política de privacidade", "Aviso legal"],
    },
}  # fmt: skip

LOREM = (
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et "
    "dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip."
)
KINDS = (
    "keyword_list", "menu", "repeated_lines", "lorem_ipsum", "seo_spam",
    "word_salad", "cookie_notice", "product_listing", "code_dump", "hashtags",
)  # fmt: skip


def _keyword_list(lex: dict[str, list[str]], rng: random.Random, vocab: list[str]) -> str:
    items = [f"{rng.choice(lex['kw'])} {rng.choice(lex['city'])}" for _ in range(rng.randint(40, 90))]
    items += [f"{rng.choice(lex['shop']).lower()} {rng.choice(vocab)}" for _ in range(rng.randint(10, 30))]
    rng.shuffle(items)
    sep = rng.choice([", ", "\n", " | ", " - "])
    return sep.join(items)


def _menu(lex: dict[str, list[str]], rng: random.Random, vocab: list[str]) -> str:
    lines = []
    for _ in range(rng.randint(3, 6)):
        lines += rng.sample(lex["menu"], rng.randint(6, len(lex["menu"])))
        lines += [w.capitalize() for w in rng.sample(vocab, rng.randint(5, 15))]
    return "\n".join(lines)


def _repeated_lines(lex: dict[str, list[str]], rng: random.Random, sentences: list[str]) -> str:
    block = rng.sample(sentences, rng.randint(1, 3))
    return "\n".join(block * rng.randint(8, 25))


def _lorem(lex: dict[str, list[str]], rng: random.Random, sentences: list[str]) -> str:
    mix = rng.sample(sentences, rng.randint(3, 8))
    mix.insert(rng.randint(0, len(mix)), LOREM)
    return "\n".join(mix)


def _seo_spam(lex: dict[str, list[str]], rng: random.Random, vocab: list[str]) -> str:
    kw, city = rng.choice(lex["kw"]), rng.choice(lex["city"])
    lines = []
    for _ in range(rng.randint(15, 40)):
        words = [kw, city, rng.choice(lex["shop"]).lower(), kw, rng.choice(vocab), kw]
        rng.shuffle(words)
        lines.append(" ".join(words).capitalize() + rng.choice([".", "!", "", " ✓"]))
    return "\n".join(lines)


def _word_salad(lex: dict[str, list[str]], rng: random.Random, vocab: list[str]) -> str:
    sents = [" ".join(rng.choices(vocab, k=rng.randint(8, 20))).capitalize() + "." for _ in range(rng.randint(10, 30))]
    return " ".join(sents)


def _cookie(lex: dict[str, list[str]], rng: random.Random, sentences: list[str]) -> str:
    lines = list(lex["cookie"]) + rng.sample(lex["menu"], 6)
    if rng.random() < 0.5:
        lines.insert(0, rng.choice(sentences))
    return "\n".join(lines * rng.randint(1, 3))


def _product_listing(lex: dict[str, list[str]], rng: random.Random, vocab: list[str]) -> str:
    rows = []
    for _ in range(rng.randint(15, 40)):
        name = " ".join(rng.sample(vocab, 2)).title()
        rows.append(f"{name} - {rng.randint(5, 900)},{rng.randint(0, 99):02d} € - {rng.choice(lex['shop'])}")
    return "\n".join(rows)


def _code_dump(lex: dict[str, list[str]], rng: random.Random, vocab: list[str]) -> str:
    items = [f'"{rng.choice(vocab)}": {{"id": {rng.randint(1, 9999)}, "v": "{rng.choice(vocab)}"}}' for _ in range(30)]
    return "var data = {" + ", ".join(items) + "};\nfunction f(x) { return data[x]; }"


def _hashtags(lex: dict[str, list[str]], rng: random.Random, vocab: list[str]) -> str:
    tags = [re.sub(r"\W", "", rng.choice(vocab + lex["kw"])) for _ in range(rng.randint(60, 150))]
    return " ".join("#" + t for t in tags)


_MAKERS = {
    "keyword_list": (_keyword_list, "vocab"),
    "menu": (_menu, "vocab"),
    "repeated_lines": (_repeated_lines, "sentences"),
    "lorem_ipsum": (_lorem, "sentences"),
    "seo_spam": (_seo_spam, "vocab"),
    "word_salad": (_word_salad, "vocab"),
    "cookie_notice": (_cookie, "sentences"),
    "product_listing": (_product_listing, "vocab"),
    "code_dump": (_code_dump, "vocab"),
    "hashtags": (_hashtags, "vocab"),
}


def junk_documents(lang: str, sentences: list[str], *, per_kind: int, seed: int = 0) -> list[tuple[str, str]]:
    """(kind, text) pairs: `per_kind` documents of each kind in `lang`, deterministic for a seed."""
    rng = random.Random(f"{lang}-{seed}")
    words = sorted({w for s in sentences for w in re.findall(r"\w{4,}", s.lower()) if not w.isdigit()})
    lex = LEXICON[lang]
    out = []
    for kind in KINDS:
        make, needs = _MAKERS[kind]
        for _ in range(per_kind):
            out.append((kind, make(lex, rng, words if needs == "vocab" else sentences)))
    return out


# --- Fluent junk: what passes every heuristic (issue #17, item 4) -----------------------------
# Built from clean sentences the caller passes in (the benchmark uses lid-dev, which no model is
# trained on), so each document has the vocabulary, stop words, word lengths and punctuation of
# clean text; only what a language model sees differs.
FLUENT_KINDS = ("shuffled_words", "markov_chain", "no_accents")
_ACCENTS = str.maketrans("áàâäéèêëíìîïóòôöúùûüÁÀÂÄÉÈÊËÍÌÎÏÓÒÔÖÚÙÛÜ", "aaaaeeeeiiiioooouuuuAAAAEEEEIIIIOOOOUUUU")


def _shuffled_words(rng: random.Random, sentence: str) -> str:
    """Word order scrambled inside the sentence; capital first and final punctuation kept."""
    body, end = (sentence[:-1], sentence[-1]) if sentence[-1:] in ".!?" else (sentence, "")
    words = body.split()
    rng.shuffle(words)
    text = " ".join(words)
    return text[:1].upper() + text[1:].lower() + end


def _markov_lines(rng: random.Random, sentences: list[str], n_lines: int) -> list[str]:
    """Word-bigram Markov chain over `sentences`: the output of the cheapest spam generators."""
    follow: dict[str, list[str]] = {}
    for s in sentences:
        words = ["<s>", *s.split(), "</s>"]
        for a, b in zip(words, words[1:]):
            follow.setdefault(a, []).append(b)
    lines = []
    for _ in range(n_lines):
        word, out = "<s>", []
        while len(out) < 40:
            word = rng.choice(follow[word])
            if word == "</s>":
                break
            out.append(word)
        if len(out) >= 6:
            lines.append(" ".join(out))
    return lines


def fluent_junk_documents(
    sentences: list[str], *, per_kind: int, lines_per_doc: int = 10, seed: int = 0
) -> list[tuple[str, str]]:
    """(kind, text) pairs of fluent junk made from clean `sentences` of one language.

    Text of a close language (Asturian as Spanish, Occitan as Catalan, Portuguese as
    Galician) is not here: our language identifier tags none of it as the target language
    (100 documents each, lid-dev), so it never reaches the quality filter.
    """
    rng = random.Random(f"fluent-{seed}")
    out = []

    def pick(pool: list[str]) -> list[str]:
        return rng.sample(pool, min(lines_per_doc, len(pool)))

    for _ in range(per_kind):
        out.append(("shuffled_words", "\n".join(_shuffled_words(rng, s) for s in pick(sentences))))
    for _ in range(per_kind):
        out.append(("markov_chain", "\n".join(_markov_lines(rng, sentences, lines_per_doc))))
    for _ in range(per_kind):
        lines = pick(sentences)
        stripped = [s.translate(_ACCENTS) for s in lines]
        # Basque writes almost no accents: a document that barely changed is not junk
        if sum(a != b for line, bare in zip(lines, stripped) for a, b in zip(line, bare)) >= 5:
            out.append(("no_accents", "\n".join(stripped)))
    return out
