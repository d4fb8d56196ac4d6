"""Minimal pairs for the language model: Spanish lines rewritten as Asturian and Aragonese,
Catalan lines rewritten as Occitan, by orthographic and function-word rules.

Why: the Asturian, Aragonese and Occitan training text is literary or administrative, while
news and encyclopaedic text in those languages shares almost all of its vocabulary with Spanish
or Catalan. Trained on that, the model takes news vocabulary itself as evidence of Spanish or
Catalan, and reads a news sentence with one or two dialect markers as Spanish or Catalan. A
rewritten line keeps the vocabulary and changes only what the languages do differently
(articles, contractions, -u/-au endings, ye/nun/ta, -cion, nh/lh), so the model learns the
markers instead of the topic. The rules are rough: the result is not good Asturian, Aragonese
or Occitan, only text with their distinctive forms. A rewrite that changed fewer than
`MIN_CHANGES` words is dropped, since it would be Spanish or Catalan under another label.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

MIN_CHANGES = 2
_TOKEN = re.compile(r"\w+|[^\w\s]+|\s+")
_VOWEL_START = "aeiouáéíóúh"

_AST_WORDS = {
    "es": "ye", "no": "nun", "para": "pa", "después": "dempués", "también": "tamién", "muy": "mui",
    "fue": "foi", "fueron": "foron", "hacer": "facer", "hecho": "fechu", "hecha": "fecha", "hoy": "güei",
    "ya": "yá", "aquí": "equí", "allí": "ellí", "algunos": "dalgunos", "algunas": "dalgunes",
    "alguna": "dalguna", "algún": "dalgún", "sin": "ensin", "entre": "ente", "las": "les", "unas": "unes",
    "todo": "too", "todos": "toos", "todas": "toes", "este": "esti", "estas": "estes", "esas": "eses",
    "mucho": "munchu", "muchos": "munchos", "muchas": "munches", "mismo": "mesmu", "dijo": "dixo",
    "bajo": "baxo", "juego": "xuegu", "juegos": "xuegos", "junto": "xunto", "gente": "xente", "tiene": "tien",
    "pueden": "puen", "hay": "hai", "donde": "onde", "mujer": "muyer", "hijo": "fíu", "hija": "fía",
    "ahora": "agora", "así": "asina", "año": "añu", "otro": "otru", "desde": "dende", "era": "yera",
    "eran": "yeren", "sus": "los sos", "su": "el so",
}  # fmt: skip
# "en el" -> "nel" and the like: Asturian contracts prepositions with the article.
_AST_PAIRS = {
    ("en", "el"): "nel", ("en", "la"): "na", ("en", "los"): "nos", ("en", "las"): "nes", ("con", "el"): "col",
    ("con", "la"): "cola", ("por", "el"): "pel", ("por", "la"): "pela", ("por", "los"): "polos",
    ("por", "las"): "poles",
}  # fmt: skip
_AN_WORDS = {
    "el": "o", "la": "a", "los": "os", "las": "as", "del": "d'o", "al": "a o", "es": "ye", "era": "yera",
    "eran": "yeran", "fue": "estió", "fueron": "estioron", "para": "ta", "también": "tamién",
    "después": "dimpués", "ahora": "agora", "mucho": "muito", "muchos": "muitos", "mucha": "muita",
    "muchas": "muitas", "hecho": "feito", "hecha": "feita", "esto": "isto", "eso": "ixo", "este": "iste",
    "esta": "ista", "estos": "istos", "estas": "istas", "hacer": "fer", "hoy": "hue", "muy": "muit",
    "donde": "do", "cuando": "cuan", "más": "mas", "hay": "bi ha", "nosotros": "nusatros", "gente": "chent",
    "juego": "chuego", "juegos": "chuegos", "hijo": "fillo", "hija": "filla", "noche": "nueit", "todo": "tot",
    "todos": "totz", "algún": "bell", "alguna": "bella", "algunos": "bells", "algunas": "bellas",
    "mujer": "muller", "mismo": "mesmo", "desde": "dende", "contra": "cuentra", "mientras": "mientres",
    "viajar": "viachar", "trabajo": "treballo", "trabajar": "treballar", "artículo": "articlo",
    "pequeño": "chicot", "pequeña": "chicota", "veinte": "vinte", "tipo": "mena", "lucha": "luita",
    "luchar": "luitar", "siglo": "sieglo", "solo": "nomás", "o": "u",
}  # fmt: skip
_AN_PAIRS = {("de", "el"): "d'o", ("de", "la"): "d'a", ("de", "los"): "d'os", ("de", "las"): "d'as",
             ("en", "el"): "en o", ("a", "el"): "a o"}  # fmt: skip
# Many Aragonese texts keep lo/la/los/las; half of the rewrites do.
_AN_LO_ARTICLES = {"el": "lo", "del": "d'o", "los": "los", "la": "la", "las": "las"}
_OC_WORDS = {
    "el": "lo", "els": "los", "les": "las", "és": "es", "són": "son", "era": "èra", "eren": "èran", "però": "mas",
    "també": "tanben", "com": "coma", "molt": "fòrça", "molts": "fòrça", "molta": "fòrça", "moltes": "fòrça",
    "més": "mai", "perquè": "perque", "quan": "quand", "on": "ont", "aquest": "aqueste", "aquests": "aquestes",
    "aquestes": "aquestas", "això": "aquò", "allò": "aquò", "hi": "i", "ha": "a", "han": "an", "sense": "sens",
    "sobre": "sus", "sota": "jos", "després": "aprèp", "avui": "uèi", "any": "an", "anys": "ans",
    "aigua": "aiga", "dona": "femna", "dones": "femnas", "home": "òme", "homes": "òmes", "gran": "grand",
    "grans": "grands", "nou": "nòu", "tots": "totes", "totes": "totas", "no": "pas", "seva": "sa", "seus": "sos",
    "seves": "sas", "mateix": "meteis", "mateixa": "meteissa", "sempre": "totjorn", "dues": "doas",
    "segons": "segon", "durant": "pendent", "lloc": "lòc", "llibre": "libre",
}  # fmt: skip


def _case(src: str, out: str) -> str:
    return out[:1].upper() + out[1:] if src[:1].isupper() else out


def _rewrite(
    text: str, words: dict[str, str], pairs: dict[tuple[str, str], str], word_rule: Callable[[str], str]
) -> str:
    """Replace word pairs, then single words, then apply `word_rule` to the other words."""
    toks = _TOKEN.findall(text)
    out: list[str] = []
    i = 0
    while i < len(toks):
        tok, low = toks[i], toks[i].lower()
        if i + 2 < len(toks) and toks[i + 1] == " " and (low, toks[i + 2].lower()) in pairs:
            out.append(_case(tok, pairs[(low, toks[i + 2].lower())]))
            i += 3
            continue
        out.append(_case(tok, words[low]) if low in words else word_rule(tok))
        i += 1
    return "".join(out)


def _ast_word(tok: str) -> str:
    low = tok.lower()
    if not tok.isalpha() or len(tok) <= 3 or tok[0].isupper():
        return tok
    if low.endswith("o"):  # masculine singular -u: campeonatu, permisu
        return tok[:-1] + "u"
    if low.endswith("as"):  # feminine plural -es: carreres, válvules
        return tok[:-2] + "es"
    if len(tok) > 4 and low.endswith("dad"):  # universidá
        return tok[:-1]
    return tok


def to_asturian(text: str) -> str:
    out = _rewrite(text, _AST_WORDS, _AST_PAIRS, _ast_word)
    out = re.sub(rf"\b([Dd])e ([{_VOWEL_START}])", r"\1'\2", out)
    out = re.sub(r"\b([Ll])a ([aeiouáéíóú])", r"\1'\2", out)
    return re.sub(r"\b[Ee]l ([aeiouáéíóú])", r"l'\1", out)


def _an_word(tok: str) -> str:
    low = tok.lower()
    if not tok.isalpha() or len(tok) <= 4 or tok[0].isupper():
        return tok
    if low.endswith(("ado", "ido")):  # participles -au, -iu: estau, partiu
        return tok[:-2] + "u"
    if low.endswith(("ados", "idos")):
        return tok[:-3] + "us"
    if low.endswith(("ales", "eles")):  # plurals -als, -els: profesionals
        return tok[:-2] + "s"
    if low.endswith(("dad", "tad")):  # -dat: unidat, libertat
        return tok[:-1] + "t"
    return tok


def to_aragonese(text: str, *, lo_articles: bool = False) -> str:
    words = {**_AN_WORDS, **_AN_LO_ARTICLES} if lo_articles else _AN_WORDS
    out = _rewrite(text, words, {} if lo_articles else _AN_PAIRS, _an_word)
    return re.sub(rf"\b([Dd])e ([{_VOWEL_START}])", r"\1'\2", out)


def _oc_word(tok: str) -> str:
    if not tok.isalpha() and "·" not in tok:
        return tok
    low = tok.lower()
    word = tok
    if low.endswith("ció"):  # afirmacion
        word = tok[:-3] + "cion"
    elif len(tok) > 3 and low.endswith("es") and not tok[0].isupper():  # feminine plural -as
        word = tok[:-2] + "as"
    word = word.replace("ny", "nh").replace("l·l", "l")
    if word.lower().startswith("ll"):
        word = word[0] + word[2:]
    elif "ll" in word[1:]:
        word = word[0] + word[1:].replace("ll", "lh")
    return word


def to_occitan(text: str) -> str:
    return _rewrite(text, _OC_WORDS, {}, _oc_word)


def changed_words(original: str, rewritten: str) -> int:
    """Words of `original` (lower case) that no longer occur in `rewritten`."""
    after = set(rewritten.lower().split())
    return sum(1 for w in original.lower().split() if w not in after)


# target label -> (source label, rewrite)
REWRITES: dict[str, tuple[str, Callable[[str, random.Random], str]]] = {
    "ast": ("es", lambda text, rng: to_asturian(text)),
    "an": ("es", lambda text, rng: to_aragonese(text, lo_articles=rng.random() < 0.5)),
    "oc": ("ca", lambda text, rng: to_occitan(text)),
}


def synthetic_examples(corpus: dict[str, list[str]], per_label: dict[str, int], *, seed: int) -> list[tuple[str, str]]:
    """Up to `per_label[label]` rewritten lines per target label, from shuffled source lines;
    rewrites that changed fewer than `MIN_CHANGES` words are skipped."""
    out: list[tuple[str, str]] = []
    for label, wanted in sorted(per_label.items()):
        if label not in REWRITES or wanted <= 0:
            continue
        source, rewrite = REWRITES[label]
        rng = random.Random(f"{seed}:{label}")
        lines = list(corpus.get(source, []))
        rng.shuffle(lines)
        made = 0
        for line in lines:
            if made >= wanted:
                break
            new = rewrite(line, rng)
            if changed_words(line, new) >= MIN_CHANGES:
                out.append((label, new))
                made += 1
    return out
