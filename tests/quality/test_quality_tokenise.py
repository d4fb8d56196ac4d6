from corpusforge.quality.tokenise import split_words, stopwords


def test_catalan_elisions_and_clitics_split():
    words = split_words("L'home d'aigua va donar-li-ho i porta'l a la col·lecció", "ca")
    assert words == ["L", "home", "d", "aigua", "va", "donar", "li", "ho", "i", "porta", "l", "a", "la", "col·lecció"]


def test_catalan_compounds_keep_their_hyphen():
    assert split_words("vint-i-un nord-americans", "ca") == ["vint-i-un", "nord-americans"]


def test_valencian_uses_catalan_rules_and_valencian_stopwords():
    assert split_words("Açò és d'ací", "ca-valencia") == ["Açò", "és", "d", "ací"]
    sw = stopwords("ca-valencia")
    assert {"este", "eixa", "seua", "hui", "ací", "l", "d"} <= sw
    assert sw == stopwords("ca")


def test_basque_keeps_suffixes_on_acronyms_and_numbers():
    assert split_words("EHU-ko ikasleak 2015-eko ikasturtean", "eu") == [
        "EHU-ko",
        "ikasleak",
        "2015-eko",
        "ikasturtean",
    ]
    assert {"eta", "da", "dute", "hori"} <= stopwords("eu")


def test_galician_contractions_are_words_and_old_clitics_split():
    assert split_words("Fixémo-lo polo camiño dunha vez", "gl") == ["Fixémo", "lo", "polo", "camiño", "dunha", "vez"]
    assert {"polo", "dunha", "coa", "ao"} <= stopwords("gl")


def test_spanish_and_unknown_tags():
    assert split_words("O'Donnell y el acuerdo franco-alemán", "es") == [
        "O'Donnell",
        "y",
        "el",
        "acuerdo",
        "franco-alemán",
    ]
    assert stopwords("fr") == frozenset()
    assert stopwords(None) == frozenset()
    assert "del" in stopwords("es") and "comprar" not in stopwords("es")
