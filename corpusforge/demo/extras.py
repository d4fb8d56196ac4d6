"""The rest of the demo sample: pages in other languages, boilerplate, and pages made to be caught.

- pages in French, English, Portuguese and Italian (the language filter rejects them);
- one page with Spanish phone numbers, a DNI and an e-mail address (the PII stage redacts them);
- a keyword-spam page and a lorem-ipsum page (the quality filter rejects them);
- boilerplate per site: menus, cookie banners, share buttons, footers (extraction removes them).
"""

FOREIGN = [
    (
        "fr",
        "actualites/jardins-partages-lyon",
        "Les jardins partagés se multiplient à Lyon",
        [
            "Dans plusieurs quartiers de Lyon, des habitants transforment des terrains vagues en jardins "
            "partagés. Chaque samedi matin, les bénévoles se retrouvent pour arroser, désherber et répartir "
            "les tâches de la semaine.",
            "Selon les organisateurs, ces jardins ont surtout permis aux voisins de se rencontrer. Les récoltes "
            "excédentaires sont données à l'épicerie solidaire du quartier.",
        ],
    ),
    (
        "en",
        "news/community-gardens-leeds",
        "Community gardens bring neighbours together in Leeds",
        [
            "Across several districts of Leeds, residents have turned empty plots into community gardens. "
            "Volunteers meet every Saturday morning to water the beds, pull weeds and share out the week's "
            "jobs.",
            "The organisers say the gardens have mostly helped neighbours get to know each other, and the "
            "surplus harvest goes to the local food bank.",
        ],
    ),
    (
        "pt",
        "noticias/hortas-comunitarias-porto",
        "As hortas comunitárias aproximam os vizinhos no Porto",
        [
            "Em vários bairros do Porto, os moradores transformaram terrenos abandonados em hortas "
            "comunitárias. Os voluntários reúnem-se todos os sábados de manhã para regar e dividir as tarefas "
            "da semana.",
            "Segundo os organizadores, as hortas serviram sobretudo para que os vizinhos se conhecessem, e os "
            "excedentes da colheita vão para a cantina social do bairro.",
        ],
    ),
    (
        "it",
        "notizie/orti-urbani-bologna",
        "Gli orti urbani avvicinano i vicini di casa a Bologna",
        [
            "In diversi quartieri di Bologna gli abitanti hanno trasformato terreni abbandonati in orti "
            "condivisi. I volontari si ritrovano ogni sabato mattina per annaffiare e dividersi i compiti "
            "della settimana.",
            "Secondo gli organizzatori, gli orti hanno soprattutto permesso ai vicini di conoscersi, e il "
            "raccolto in eccesso viene donato alla mensa del quartiere.",
        ],
    ),
]

PII_PAGE = (
    "es",
    "contacto/asociacion-vecinal",
    "Contacto de la asociación vecinal",
    [
        "Si quieres participar en la huerta comunitaria o en cualquiera de nuestras actividades, puedes "
        "escribirnos a secretaria.vecinal@correo-ejemplo.es o llamarnos al 912 345 678 de lunes a viernes, "
        "de cinco a ocho de la tarde.",
        "Para inscribirte necesitamos tu nombre completo y tu DNI. Por ejemplo, la presidenta de la asociación, "
        "María López García, con DNI 12345678Z, firmó el acuerdo de cesión del solar con el ayuntamiento. "
        "También puedes enviar un mensaje al móvil +34 612 345 678.",
        "La sede de la asociación está abierta los martes y los jueves. Traed herramientas si tenéis, y "
        "ganas de trabajar la tierra con los vecinos del barrio.",
    ],
)

SPAM_PAGE = (
    "es",
    "ofertas/comprar-barato",
    "Comprar barato comprar online ofertas baratas",
    [
        "comprar barato comprar barato comprar barato ofertas ofertas ofertas mejor precio mejor precio "
        "comprar online barato ofertas baratas comprar ya comprar barato envío gratis envío gratis "
        "comprar barato ofertas comprar online mejor precio ofertas baratas comprar barato comprar barato",
        "zapatillas baratas zapatillas baratas móviles baratos móviles baratos ofertas ofertas comprar ya "
        "comprar ya mejor precio garantizado comprar barato comprar barato comprar barato ofertas baratas",
    ],
)

LOREM_PAGE = (
    "es",
    "plantilla/pagina-en-construccion",
    "Página en construcción",
    [
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore "
        "et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut "
        "aliquip ex ea commodo consequat.",
        "Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. "
        "Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est "
        "laborum.",
    ],
)

# Per language: (site host, html lang, nav items, cookie banner, share label, footer).
SITES = {
    "es": (
        "www.diario-ejemplo.es",
        "es",
        ["Portada", "España", "Internacional", "Economía", "Cultura", "Deportes", "Opinión", "Suscríbete"],
        "Utilizamos cookies propias y de terceros para mejorar nuestros servicios. Si continúa navegando, "
        "consideramos que acepta su uso. Aceptar | Configurar | Rechazar",
        "Compartir en Facebook · Compartir en X · Enviar por WhatsApp · Copiar enlace",
        "© 2024 Diario Ejemplo S.L. Todos los derechos reservados. Aviso legal · Política de privacidad · "
        "Política de cookies · Contacto · Publicidad",
    ),
    "ca": (
        "www.diari-exemple.cat",
        "ca",
        ["Portada", "Societat", "Política", "Economia", "Cultura", "Esports", "Opinió", "Subscriu-t'hi"],
        "Aquest lloc web utilitza galetes pròpies i de tercers per millorar els serveis. Si continueu navegant, "
        "considerem que n'accepteu l'ús. Accepto | Configura | Rebutjo",
        "Comparteix a Facebook · Comparteix a X · Envia per WhatsApp · Copia l'enllaç",
        "© 2024 Diari Exemple. Tots els drets reservats. Avís legal · Política de privadesa · Galetes · "
        "Contacte · Publicitat",
    ),
    "ca-valencia": (
        "www.periodic-exemple.val",
        "ca-ES-valencia",
        ["Inici", "Actualitat", "Comarques", "Economia", "Cultura", "Esports", "Opinió", "Fes-te soci"],
        "Este lloc web utilitza galetes pròpies i de tercers per a millorar els nostres servicis. Si continua "
        "navegant, considerem que n'accepta l'ús. Accepte | Configura | Rebutge",
        "Compartix en Facebook · Compartix en X · Envia per WhatsApp · Copia l'enllaç",
        "© 2024 Periòdic Exemple. Tots els drets reservats. Avís legal · Política de privacitat · Galetes · Contacte",
    ),
    "eu": (
        "www.egunkaria-adibidea.eus",
        "eu",
        ["Azala", "Gizartea", "Politika", "Ekonomia", "Kultura", "Kirolak", "Iritzia", "Harpidetu"],
        "Webgune honek cookie propioak eta hirugarrenenak erabiltzen ditu zerbitzuak hobetzeko. Nabigatzen "
        "jarraitzen baduzu, haien erabilera onartzen duzula ulertuko dugu. Onartu | Konfiguratu | Baztertu",
        "Partekatu Facebooken · Partekatu X-en · Bidali WhatsApp bidez · Kopiatu esteka",
        "© 2024 Egunkaria Adibidea. Eskubide guztiak erreserbatuta. Lege oharra · Pribatutasun politika · "
        "Cookieak · Harremanetarako",
    ),
    "gl": (
        "www.xornal-exemplo.gal",
        "gl",
        ["Portada", "Galicia", "Sociedade", "Economía", "Cultura", "Deportes", "Opinión", "Subscríbete"],
        "Este sitio web emprega cookies propias e de terceiros para mellorar os nosos servizos. Se continúa "
        "navegando, consideramos que acepta o seu uso. Aceptar | Configurar | Rexeitar",
        "Compartir en Facebook · Compartir en X · Enviar por WhatsApp · Copiar ligazón",
        "© 2024 Xornal Exemplo. Todos os dereitos reservados. Aviso legal · Política de privacidade · "
        "Cookies · Contacto",
    ),
    "fr": (
        "www.journal-exemple.fr",
        "fr",
        ["Accueil", "Actualités", "Culture"],
        "Nous utilisons des cookies. Accepter | Refuser",
        "Partager sur Facebook",
        "© 2024 Journal Exemple. Mentions légales",
    ),
    "en": (
        "www.example-news.co.uk",
        "en",
        ["Home", "News", "Culture"],
        "We use cookies to improve your experience. Accept | Reject",
        "Share on Facebook",
        "© 2024 Example News Ltd. Privacy policy",
    ),
    "pt": (
        "www.jornal-exemplo.pt",
        "pt-PT",
        ["Início", "Notícias", "Cultura"],
        "Utilizamos cookies. Aceitar | Rejeitar",
        "Partilhar no Facebook",
        "© 2024 Jornal Exemplo. Política de privacidade",
    ),
    "it": (
        "www.giornale-esempio.it",
        "it",
        ["Home", "Notizie", "Cultura"],
        "Utilizziamo i cookie. Accetta | Rifiuta",
        "Condividi su Facebook",
        "© 2024 Giornale Esempio. Informativa privacy",
    ),
}
