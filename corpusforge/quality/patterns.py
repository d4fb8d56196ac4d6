"""Line patterns for the C4-style and boilerplate signals, in es, ca, gl, eu (and English).

They are RE2 expressions run by `pyarrow.compute.count_substring_regex` over a whole
batch, on lower-cased text that starts with "\\n", so `\\n` marks a line start (Arrow's
matcher restarts its search after each match, which makes `^` unreliable for counting).
Each pattern matches at most once per line; line ends use `(?m)$`, which does not
consume the next line's "\\n".
"""

from __future__ import annotations

# A line that mentions JavaScript (C4 drops such lines: "enable JavaScript to view ...").
JAVASCRIPT_LINE = r"\n[^\n]*javascript"

# Cookie, privacy and terms notices (C4's POLICY_SUBSTRINGS, extended to our languages).
_POLICY = [
    # en (C4)
    "terms of use",
    "privacy policy",
    "cookie policy",
    "uses cookies",
    "use of cookies",
    "use cookies",
    # es
    "política de privacidad",
    "política de cookies",
    "uso de cookies",
    "utiliza cookies",
    "utilizamos cookies",
    "usamos cookies",
    "aviso legal",
    "términos de uso",
    "condiciones de uso",
    "aceptar cookies",
    # ca / ca-valencia
    "política de privacitat",
    "política de galetes",
    "ús de galetes",
    "utilitza galetes",
    "utilitzem galetes",
    "fem servir galetes",
    "usem galetes",
    "utilitza cookies",
    "utilitzem cookies",
    "avís legal",
    "condicions d'ús",
    "termes d'ús",
    # gl
    "política de privacidade",
    "uso de cookies",
    "emprega cookies",
    "empregamos cookies",
    "utilizamos cookies",
    "usamos cookies",
    "aviso legal",
    "termos de uso",
    "condicións de uso",
    # eu
    "pribatutasun politika",
    "pribatutasun-politika",
    "cookie politika",
    "cookien politika",
    "cookieak erabiltzen",
    "cookie-ak erabiltzen",
    "lege oharra",
    "erabilera baldintzak",
]
POLICY_LINE = r"\n[^\n]*(?:" + "|".join(sorted(set(_POLICY))) + ")"

# Whole lines that are navigation, sharing or account chrome, not prose.
_CHROME = [
    # es
    "inicio",
    "contacto",
    "contáctanos",
    "leer más",
    "ver más",
    "seguir leyendo",
    "compartir",
    "comentarios",
    "buscar",
    "menú",
    "iniciar sesión",
    "registrarse",
    "suscríbete",
    "suscribirse",
    "newsletter",
    "mapa del sitio",
    "volver arriba",
    "siguiente",
    "anterior",
    "página siguiente",
    "página anterior",
    "publicidad",
    "categorías",
    "etiquetas",
    "entradas recientes",
    "archivos",
    "añadir al carrito",
    "comprar ahora",
    "mi cuenta",
    # ca / ca-valencia
    "inici",
    "contacte",
    "llegir més",
    "llig més",
    "veure més",
    "continua llegint",
    "compartir",
    "comentaris",
    "cerca",
    "cercar",
    "menú",
    "inicia la sessió",
    "iniciar sessió",
    "registra't",
    "subscriu-te",
    "mapa del web",
    "següent",
    "anterior",
    "publicitat",
    "categories",
    "etiquetes",
    "afegir a la cistella",
    "el meu compte",
    # gl
    "inicio",
    "contacto",
    "ler máis",
    "ver máis",
    "seguir lendo",
    "compartir",
    "comentarios",
    "buscar",
    "procurar",
    "iniciar sesión",
    "rexistrarse",
    "subscríbete",
    "seguinte",
    "anterior",
    "publicidade",
    "categorías",
    "etiquetas",
    "engadir ao carro",
    "a miña conta",
    # eu
    "hasiera",
    "kontaktua",
    "harremanetarako",
    "gehiago irakurri",
    "irakurri gehiago",
    "partekatu",
    "iruzkinak",
    "bilatu",
    "menua",
    "saioa hasi",
    "erregistratu",
    "harpidetu",
    "hurrengoa",
    "aurrekoa",
    "publizitatea",
    "kategoriak",
    "etiketak",
    "saskira gehitu",
    "nire kontua",
    # en and sharing widgets, common everywhere
    "home",
    "menu",
    "search",
    "login",
    "log in",
    "sign up",
    "share",
    "tweet",
    "facebook",
    "twitter",
    "instagram",
    "whatsapp",
    "linkedin",
    "youtube",
    "telegram",
    "rss",
    "email",
    "e-mail",
    "print",
    "imprimir",
]
CHROME_LINE = r"(?m)\n[ \t]*(?:" + "|".join(sorted(set(_CHROME), key=len, reverse=True)) + r")[ \t.:|»>›→-]*$"

# Lines that carry copyright / rights / "all rights reserved" footers.
_FOOTER = [
    "©",
    "copyright",
    "all rights reserved",
    "todos los derechos reservados",
    "derechos reservados",
    "tots els drets reservats",
    "drets reservats",
    "todos os dereitos reservados",
    "dereitos reservados",
    "eskubide guztiak erreserbatuta",
    "eskubide guztiak gordeta",
]
FOOTER_LINE = r"\n[^\n]*(?:" + "|".join(_FOOTER) + ")"

LOREM_IPSUM = r"lorem ipsum"

# Non-empty lines, and lines by how they start or end. All expect a leading "\n".
LINE = r"\n[ \t\r]*[^\s]"
# Terminal punctuation at line end (C4 keeps . ! ? " '; we add … » ” ’ and a closing bracket).
PUNCT_LINE_END = r"(?m)[.!?…\"'»”’)][ \t\r]*$"
ELLIPSIS_LINE_END = r"(?m)(?:\.\.\.|…)[ \t\r]*$"
BULLET_LINE = r"\n[ \t]*[•●○▪▫■□►▶◦‣∙·*+–—-][ \t]"
# A short line: 1-30 characters of content (FineWeb's short_line_length = 30).
SHORT_LINE = r"(?m)\n[ \t\r]*[^\s][^\n]{0,29}$"
